import Audit
import Scanning
import Charter
import CookieModel
import Foundation

/// The JSON of `scan --format json`, documented in docs/scan-json.md.
extension ScanReport {
    struct JSON: Encodable {
        let scannedAt: String
        /// False when a page variant could not be scanned: the gate then fails unless --allow-incomplete.
        let complete: Bool
        let summary: Summary
        let pages: [Page]
        let cookies: [Cookie]
        let findings: [FindingJSON]
    }

    struct Summary: Encodable {
        let sites: Int
        let pages: Int
        let failedPages: Int
        let findings: [String: Int]
        let highestSeverity: String?
        /// Findings left out by the per-page cap, counted: they still count for --fail-on.
        let findingsOmitted: Int
    }

    struct Page: Encodable {
        let site, url, variant: String
        let consentGiven: Bool
        let failure: Failure?
        let hops: [HopJSON]
        /// Findings of this page left out by the per-page cap; absent when none was.
        let findingsOmitted: Omitted?
    }

    struct Omitted: Encodable {
        let count: Int
        let highestSeverity: String?
    }

    struct Failure: Encodable {
        let code, message, url: String
    }

    struct HopJSON: Encodable {
        let url: String
        let status: Int
        let date: String?
        let stored: [String]
        let deleted: [String]
        let rejected: [Rejected]
    }

    struct Rejected: Encodable {
        let name: String?
        let reason, message: String
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

    var json: JSON {
        var counts: [String: Int] = [:]
        for finding in findings { counts[finding.severity.rawValue, default: 0] += 1 }
        return JSON(
            scannedAt: rfc3339(scannedAt), complete: isComplete,
            summary: Summary(
                sites: sites.count, pages: pageCount, failedPages: failedPages.count,
                findings: counts, highestSeverity: highestSeverity?.rawValue,
                findingsOmitted: sites.reduce(0) { $0 + $1.audit.omitted.reduce(0) { $0 + $1.count } }),
            pages: sites.flatMap { site in
                let omitted = Dictionary(site.audit.omitted.map { ($0.page, $0) }, uniquingKeysWith: { a, _ in a })
                return site.observations.map { Self.page($0, site: site.name, omitted: omitted[$0.page]) }
            },
            cookies: sites.flatMap { site in site.audit.cookies.map { Self.cookie($0, site: site.name) } },
            findings: findings.map(Self.finding))
    }

    private static func ref(_ page: PageRef) -> PageRefJSON { PageRefJSON(url: page.url, variant: page.variant) }

    private static func page(_ o: PageObservation, site: String, omitted: OmittedFindings?) -> Page {
        Page(
            site: site, url: o.page.url, variant: o.page.variant, consentGiven: o.consentGiven,
            failure: o.failure.map { Failure(code: $0.code, message: $0.message, url: $0.url) },
            hops: o.hops.map { hop in
                var stored: [String] = []
                var deleted: [String] = []
                var rejected: [Rejected] = []
                for outcome in hop.outcomes {
                    switch outcome.decision {
                    case .stored(let cookie, _): stored.append(cookie.name)
                    case .deleted(let key, _): deleted.append(key.name)
                    case .rejected(let r):
                        rejected.append(Rejected(name: r.cookieName, reason: r.reason.rawValue, message: r.message))
                    }
                }
                return HopJSON(
                    url: hop.url.description, status: hop.status,
                    date: hop.date.map(rfc3339), stored: stored, deleted: deleted,
                    rejected: rejected)
            },
            findingsOmitted: omitted.map { Omitted(count: $0.count, highestSeverity: $0.highestSeverity?.rawValue) })
    }

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
