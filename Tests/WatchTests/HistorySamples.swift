import Audit
import Foundation
import Watch

/// Cookies and records for the history tests.
enum HistorySamples {
    static let day1 = Date(timeIntervalSince1970: 1_795_824_000)  // 2026-11-28T00:00:00Z
    static let page = PageRef(url: "https://example.org/", variant: "no-consent")

    static func cookie(
        _ name: String, secure: Bool = true, lifetime: Int64? = 1_209_600, fingerprint: String = "0123456789abcdef"
    ) -> HistoryCookie {
        HistoryCookie(
            name: name, domain: "example.org", hostOnly: true, path: "/",
            attributes: CookieAttributes(
                secure: secure, httpOnly: true, sameSite: .lax, partitioned: false, lifetime: lifetime,
                setBy: "https://example.org/", valueShape: "hex"),
            valueLength: 32, valueShape: "hex", valueFingerprint: fingerprint)
    }

    static func scan(_ cookies: [HistoryCookie], previous: [HistoryCookie]?, at seconds: TimeInterval = 0)
        -> HistoryRecord
    {
        HistoryRecord.scan(
            site: "example", page: page, time: day1.addingTimeInterval(seconds), cookies: cookies, previous: previous)
    }
}
