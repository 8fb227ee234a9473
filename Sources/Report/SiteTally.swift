import Audit
import Watch

/// What the report accumulates for one site while the history streams by: counts and one entry per
/// page variant and per cookie, never the lines themselves.
struct SiteTally: Sendable {
    var scans = 0
    var failedScans = 0
    var pages: Set<PageRef> = []
    /// The latest cookie list of each page variant, including lists written before the window.
    var latest: [PageRef: (digest: String, cookies: [HistoryCookie])] = [:]
    var successfulScans: [PageRef: Int] = [:]
    var cookies: [CookieIdentity: CookieTally] = [:]
    var timeline: [TimelineEntry] = []
    var series: [SeriesPoint] = []

    mutating func credit(_ list: [HistoryCookie], page: PageRef, time: Int64) {
        successfulScans[page, default: 0] += 1
        for cookie in list {
            if cookies[cookie.identity] == nil {
                cookies[cookie.identity] = CookieTally(time: time, attributes: cookie.attributes)
            }
            cookies[cookie.identity]?.saw(cookie, page: page, time: time)
        }
    }

    var current: Set<CookieIdentity> {
        var identities = Set<CookieIdentity>()
        for entry in latest.values { identities.formUnion(entry.cookies.map(\.identity)) }
        return identities
    }

    /// Records the day's closing count, replacing an earlier point of the same day.
    mutating func close(day: Int64) {
        let point = SeriesPoint(day: day, cookies: current.count)
        if series.last?.day == day { series[series.count - 1] = point } else { series.append(point) }
    }
}
