/// How a page variant's stored cookies differ from its previous successful scan.
public struct DriftEvent: Sendable, Hashable, Codable {
    public enum Change: String, Sendable, Hashable, Codable {
        case appeared
        case disappeared
        case changed
    }

    public var change: Change
    public var cookie: CookieIdentity
    /// Absent for `appeared`.
    public var before: CookieAttributes?
    /// Absent for `disappeared`.
    public var after: CookieAttributes?

    public init(change: Change, cookie: CookieIdentity, before: CookieAttributes?, after: CookieAttributes?) {
        self.change = change
        self.cookie = cookie
        self.before = before
        self.after = after
    }

    /// The events from `previous` to `current`, ordered by cookie identity.
    public static func between(previous: [HistoryCookie], current: [HistoryCookie]) -> [DriftEvent] {
        let before = Dictionary(previous.map { ($0.identity, $0.attributes) }, uniquingKeysWith: { _, last in last })
        let after = Dictionary(current.map { ($0.identity, $0.attributes) }, uniquingKeysWith: { _, last in last })
        var events: [DriftEvent] = []
        for identity in Set(before.keys).union(after.keys).sorted() {
            switch (before[identity], after[identity]) {
            case (nil, let now?):
                events.append(DriftEvent(change: .appeared, cookie: identity, before: nil, after: now))
            case (let then?, nil):
                events.append(DriftEvent(change: .disappeared, cookie: identity, before: then, after: nil))
            case (let then?, let now?) where then != now:
                events.append(DriftEvent(change: .changed, cookie: identity, before: then, after: now))
            default: break
            }
        }
        return events
    }
}
