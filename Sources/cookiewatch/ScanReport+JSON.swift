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
        /// Where Chromium and cookiewatch's cookie model decided differently (browser engine pages).
        let modelDisagreements: Int
    }

    struct Omitted: Encodable {
        let site: String
        let page: PageRefJSON
        let count: Int
        let highestSeverity: String?
    }

    struct PageRefJSON: Encodable {
        let url, variant: String
    }

    var summary: Summary {
        var counts: [String: Int] = [:]
        for finding in findings { counts[finding.severity.rawValue, default: 0] += 1 }
        return Summary(
            sites: sites.count, pages: pageCount, failedPages: failedPages.count, findings: counts,
            highestSeverity: highestSeverity?.rawValue,
            findingsOmitted: sites.reduce(0) { $0 + $1.audit.omitted.reduce(0) { $0 + $1.count } },
            modelDisagreements: sites.reduce(0) { $0 + $1.disagreements })
    }

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
}
