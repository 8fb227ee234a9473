import Audit
import Watch

/// What the report accumulates for one site while the history streams by: counts and one entry per
/// page variant and per cookie, never the lines themselves.
struct SiteTally: Sendable {
    var scans = 0
    var failedScans = 0
    /// Indexes of the site's page slots, in the order they were first read.
    var pages: [Int] = []
    /// Index into `cookies` by identity, for the first credit of a list; later `unchanged` lines use
    /// the indexes the list keeps.
    var cookieIndex: [CookieIdentity: Int] = [:]
    var cookies: [CookieTally] = []
    var timeline: [TimelineEntry] = []
    var series: [SeriesPoint] = []

    /// The tally of `cookie`, created on its first sighting.
    mutating func tallyIndex(of cookie: HistoryCookie, time: Int64) -> Int {
        if let index = cookieIndex[cookie.identity] { return index }
        cookies.append(CookieTally(identity: cookie.identity, time: time, attributes: cookie.attributes))
        cookieIndex[cookie.identity] = cookies.count - 1
        return cookies.count - 1
    }

    /// Counts one successful scan of page slot `page` whose stored cookies were `list`.
    mutating func credit(_ list: inout PageList, page: Int, time: Int64) {
        if list.credited {
            for (position, index) in list.tallies.enumerated() {
                cookies[index].sawAgain(list.cookies[position].attributes, time: time)
            }
            return
        }
        list.tallies = list.cookies.map { tallyIndex(of: $0, time: time) }
        for (position, index) in list.tallies.enumerated() {
            cookies[index].saw(list.cookies[position], page: page, time: time)
        }
        list.credited = true
    }

    /// Records the day's closing count, replacing an earlier point of the same day.
    mutating func close(day: Int64, current: Int) {
        let point = SeriesPoint(day: day, cookies: current)
        if series.last?.day == day { series[series.count - 1] = point } else { series.append(point) }
    }
}
