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
    /// Where it holds, sorted: its first `pageLimit` page variants. A page that fails to load keeps
    /// the alert as it is.
    public var pages: [PageKey]
    /// How many page variants it holds on, when that is more than `pages` lists; nil (and not
    /// written) when `pages` is all of them.
    public var pageCount: Int?

    /// The most pages an alert carries: an alert (its state, every `alerts.jsonl` line, every webhook
    /// body) listing all 100,000 pages of a site cost megabytes per event.
    public static let pageLimit = 100

    public init(
        id: String, kind: String, severity: String, site: String, cookie: String?, message: String, pages: [PageKey],
        pageCount: Int? = nil
    ) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.site = site
        self.cookie = cookie
        self.message = message
        self.pages = pages
        self.pageCount = pageCount
    }

    /// The audit's finding, its pages cut to `pageLimit`.
    public init(_ finding: Finding) {
        let count = finding.pages.count
        self.init(
            id: finding.id, kind: finding.kind.rawValue, severity: finding.severity.rawValue, site: finding.site,
            cookie: finding.cookie, message: finding.message, pages: Array(finding.pages.prefix(Self.pageLimit)),
            pageCount: count > Self.pageLimit ? count : nil)
    }

    /// Whether one of `failed` may be a page it holds on. When its list is cut, a failed page beyond
    /// it counts if its last successful scan stored the alert's cookie, or is not known
    /// (`lastCookies`: the cookie names of each failed page's last successful scan, where known).
    public func mayHold(on failed: Set<PageKey>, lastCookies: [PageKey: Set<String>] = [:]) -> Bool {
        guard !failed.isEmpty else { return false }
        if pages.contains(where: { failed.contains($0) }) { return true }
        guard pageCount != nil else { return false }
        guard let cookie else { return true }
        return failed.contains { lastCookies[$0]?.contains(cookie) ?? true }
    }
}

/// A page variant, as stored in state and alert files: the audit's `PageRef`.
public typealias PageKey = PageRef
