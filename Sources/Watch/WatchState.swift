import Foundation

/// What the daemon remembers between runs, in `state.json`.
public struct WatchState: Sendable, Hashable, Codable {
    /// The format this code writes; a newer one is refused rather than misread.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// One entry per page variant, sorted by site and page.
    public var pages: [PageState]
    /// Open alerts: pending and firing, with their counters.
    public var alerts: AlertLifecycle
    /// Alert events decided but not yet confirmed in `alerts.jsonl` (nil when none): after a crash
    /// they are written unless the log already holds them, so an event is neither lost nor repeated.
    public var outbox: [AlertEvent]?
    /// Events in `alerts.jsonl` the webhook has not accepted yet (nil when none): sent again after a
    /// restart, with the same idempotency key, so a webhook outage or a crash loses none.
    public var webhookPending: [AlertEvent]?

    public init(
        formatVersion: Int = currentFormatVersion, pages: [PageState] = [], alerts: AlertLifecycle = AlertLifecycle()
    ) {
        self.formatVersion = formatVersion
        self.pages = pages
        self.alerts = alerts
    }
}

/// A page variant's memory: its last digest, failures in a row and when it is due next.
public struct PageState: Sendable, Hashable, Codable {
    public var site: String
    public var page: PageKey
    /// The digest of its last successful scan; nil before the first.
    public var lastDigest: String?
    /// The cookies of its last successful scan, so that drift after a restart is computed against
    /// them even when retention has removed the history line that listed them.
    public var lastCookies: [HistoryCookie]?
    public var consecutiveFailures: Int
    public var nextDue: Date?

    public init(
        site: String, page: PageKey, lastDigest: String?, lastCookies: [HistoryCookie]? = nil,
        consecutiveFailures: Int, nextDue: Date?
    ) {
        self.site = site
        self.page = page
        self.lastDigest = lastDigest
        self.lastCookies = lastCookies
        self.consecutiveFailures = consecutiveFailures
        self.nextDue = nextDue
    }
}
