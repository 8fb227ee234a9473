import Charter
import Foundation

/// Something a privacy team should look at, grouped per site, kind and cookie with the pages where it holds.
public struct Finding: Sendable, Hashable {
    /// Stable across scans: a digest of the site, the kind and the subject (cookie name, page).
    public let id: String
    public let kind: FindingKind
    public let severity: Severity
    public let site: String
    /// The cookie concerned; nil for findings about a page (`scan-error`).
    public let cookie: String?
    /// One line a person can act on.
    public let message: String
    /// Where it holds, sorted.
    public var pages: PageList
    /// What was seen on its first pages in configuration order (at most `SiteAudit.evidencePerFinding`,
    /// one per page, sorted by page); never a cookie value.
    public var evidence: [Evidence]

    public init(
        kind: FindingKind, severity: Severity, site: String, cookie: String?, subject: String, message: String,
        pages: PageList = [], evidence: [Evidence] = []
    ) {
        self.id = Finding.id(site: site, kind: kind, subject: subject)
        self.kind = kind
        self.severity = severity
        self.site = site
        self.cookie = cookie
        self.message = message
        self.pages = pages
        self.evidence = evidence
    }

    /// 16 hex digits of FNV-1a over `site`, `kind` and `subject`, NUL-separated.
    public static func id(site: String, kind: FindingKind, subject: String) -> String {
        ContentDigest.of(bytes: Array(site.utf8) + [0] + Array(kind.rawValue.utf8) + [0] + Array(subject.utf8))
    }
}

/// The facts behind a finding on one page: the hop and what it set. Values appear only as shape and length.
public struct Evidence: Sendable, Hashable {
    public var page: PageRef
    public var hopURL: String
    public var status: Int
    /// The stored cookie's attributes (`domain`, `path`, `secure`, ...), or the rejected header's reason.
    public var attributes: [String: String]
    public var valueLength: Int?
    public var valueShape: String?

    public init(
        page: PageRef, hopURL: String, status: Int, attributes: [String: String] = [:], valueLength: Int? = nil,
        valueShape: String? = nil
    ) {
        self.page = page
        self.hopURL = hopURL
        self.status = status
        self.attributes = attributes
        self.valueLength = valueLength
        self.valueShape = valueShape
    }
}
