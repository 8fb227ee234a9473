import Audit
import Charter

/// What an alert is about: the finding as the alert lifecycle and its sinks see it. No cookie values.
public struct AlertFinding: Sendable, Hashable, Codable {
    /// The finding's stable id, which is also the alert's id.
    public var id: String
    public var kind: String
    public var severity: String
    public var site: String
    public var cookie: String?
    public var message: String
    /// Where it holds: a page that fails to load keeps the alert as it is.
    public var pages: [PageKey]

    public init(
        id: String, kind: String, severity: String, site: String, cookie: String?, message: String, pages: [PageKey]
    ) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.site = site
        self.cookie = cookie
        self.message = message
        self.pages = pages
    }

    /// The audit's finding.
    public init(_ finding: Finding) {
        self.init(
            id: finding.id, kind: finding.kind.rawValue, severity: finding.severity.rawValue, site: finding.site,
            cookie: finding.cookie, message: finding.message, pages: finding.pages)
    }
}

/// A page variant, as stored in state and alert files: the audit's `PageRef`.
public typealias PageKey = PageRef
