import Audit
import Watch

/// What the report accumulates for one cookie while the history streams by.
struct CookieTally: Sendable {
    var firstSeen: Int64
    var lastSeen: Int64
    var pages: Set<PageRef> = []
    var setBy: Set<String> = []
    var lifetimes: ClosedRange<Int64>?
    var sessionSeen = false
    var attributes: CookieAttributes
    var seenScans = 0

    init(time: Int64, attributes: CookieAttributes) {
        firstSeen = time
        lastSeen = time
        self.attributes = attributes
    }

    mutating func saw(_ cookie: HistoryCookie, page: PageRef, time: Int64) {
        firstSeen = min(firstSeen, time)
        lastSeen = max(lastSeen, time)
        pages.insert(page)
        setBy.insert(cookie.attributes.setBy)
        attributes = cookie.attributes
        seenScans += 1
        if let lifetime = cookie.attributes.lifetime {
            lifetimes =
                lifetimes.map { min($0.lowerBound, lifetime)...max($0.upperBound, lifetime) } ?? lifetime...lifetime
        } else {
            sessionSeen = true
        }
    }
}
