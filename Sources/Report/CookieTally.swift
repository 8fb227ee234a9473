import Audit
import Watch

/// What the report accumulates for one cookie while the history streams by.
struct CookieTally: Sendable {
    let identity: CookieIdentity
    var firstSeen: Int64
    var lastSeen: Int64
    /// Page slot indexes.
    var pages: Set<Int> = []
    var setBy: Set<String> = []
    var lifetimes: ClosedRange<Int64>?
    var sessionSeen = false
    var attributes: CookieAttributes
    var seenScans = 0

    init(identity: CookieIdentity, time: Int64, attributes: CookieAttributes) {
        self.identity = identity
        firstSeen = time
        lastSeen = time
        self.attributes = attributes
    }

    mutating func saw(_ cookie: HistoryCookie, page: Int, time: Int64) {
        pages.insert(page)
        setBy.insert(cookie.attributes.setBy)
        if let lifetime = cookie.attributes.lifetime {
            lifetimes =
                lifetimes.map { min($0.lowerBound, lifetime)...max($0.upperBound, lifetime) } ?? lifetime...lifetime
        } else {
            sessionSeen = true
        }
        sawAgain(cookie.attributes, time: time)
    }

    /// A sighting in a list already counted by `saw`: the page, hop and lifetime are known already.
    mutating func sawAgain(_ attributes: CookieAttributes, time: Int64) {
        firstSeen = min(firstSeen, time)
        lastSeen = max(lastSeen, time)
        self.attributes = attributes
        seenScans += 1
    }
}
