import Audit
import Scanning
import Charter
import CookieModel
import Foundation

/// The JSON of `scan --format json`, documented in docs/scan-json.md.
extension ScanReport {
    struct Summary: Encodable {
        let sites: Int
        let pages: Int
        let failedPages: Int
        let findings: [String: Int]
        let highestSeverity: String?
        /// Findings left out by the per-page cap, counted: they still count for --fail-on.
        let findingsOmitted: Int
    }

    struct Omitted: Encodable {
        let site: String
        let page: PageRefJSON
        let count: Int
        let highestSeverity: String?
    }

    struct Cookie: Encodable {
        let site, name, domain, path, setBy, sameSite: String
        let hostOnly, setOnRedirect, secure, httpOnly: Bool
        let category, entry, declared: String?
        let lifetimeSeconds: Int64?
        let pages: [PageRefJSON]
        let findings: [String]
    }

    struct PageRefJSON: Encodable {
        let url, variant: String
    }

    struct FindingJSON: Encodable {
        let id, site, kind, severity, message: String
        let cookie: String?
        let pages: [PageRefJSON]
        let evidence: [EvidenceJSON]
    }

    struct EvidenceJSON: Encodable {
        let page: PageRefJSON
        let hopUrl: String
        let status: Int
        let attributes: [String: String]
        let valueLength: Int?
        let valueShape: String?
    }

    var summary: Summary {
        var counts: [String: Int] = [:]
        for finding in findings { counts[finding.severity.rawValue, default: 0] += 1 }
        return Summary(
            sites: sites.count, pages: pageCount, failedPages: failedPages.count, findings: counts,
            highestSeverity: highestSeverity?.rawValue,
            findingsOmitted: sites.reduce(0) { $0 + $1.audit.omitted.reduce(0) { $0 + $1.count } })
    }

    var cookiesJSON: [Cookie] { sites.flatMap { site in site.audit.cookies.map { Self.cookie($0, site: site.name) } } }
    var findingsJSON: [FindingJSON] { findings.map(Self.finding) }
    var omittedJSON: [Omitted] {
        sites.flatMap { site in
            site.audit.omitted.map {
                Omitted(
                    site: site.name, page: Self.ref($0.page), count: $0.count,
                    highestSeverity: $0.highestSeverity?.rawValue)
            }
        }
    }

    static func ref(_ page: PageRef) -> PageRefJSON { PageRefJSON(url: page.url, variant: page.variant) }

    private static func cookie(_ c: AuditedCookie, site: String) -> Cookie {
        Cookie(
            site: site, name: c.name, domain: c.domain, path: c.path, setBy: c.setBy, sameSite: c.sameSite.rawValue,
            hostOnly: c.hostOnly, setOnRedirect: c.setOnRedirect, secure: c.secure, httpOnly: c.httpOnly,
            category: c.category?.rawValue, entry: c.entry, declared: c.declared?.text, lifetimeSeconds: c.lifetime,
            pages: c.pages.map(ref), findings: c.findings.map(\.rawValue).sorted())
    }

    private static func finding(_ f: Finding) -> FindingJSON {
        FindingJSON(
            id: f.id, site: f.site, kind: f.kind.rawValue, severity: f.severity.rawValue, message: f.message,
            cookie: f.cookie, pages: f.pages.map(ref),
            evidence: f.evidence.map {
                EvidenceJSON(
                    page: ref($0.page), hopUrl: $0.hopURL, status: $0.status, attributes: $0.attributes,
                    valueLength: $0.valueLength, valueShape: $0.valueShape)
            })
    }
}
