import Foundation

/// The JSON body a generic webhook receives for one alert event. Never carries a cookie value.
public struct WebhookEvent: Sendable, Hashable, Codable {
    /// Unique per event and stable across retries: also sent as the `Idempotency-Key` header, so a
    /// receiver can drop a retry it already processed.
    public var id: String
    /// `firing`, `repeat` or `resolved`.
    public var event: String
    /// The alert (finding) id.
    public var alert: String
    public var time: String
    public var site: String
    public var kind: String
    public var cookie: String?
    public var severity: String
    public var message: String
    /// `url [variant]` of each page where the finding holds: the first 100.
    public var pages: [String]
    /// How many pages it holds on, when more than `pages` lists; absent otherwise.
    public var pageCount: Int?

    public init(
        event: String, alert: String, time: Date, site: String, kind: String, cookie: String?, severity: String,
        message: String, pages: [String], pageCount: Int? = nil
    ) {
        let stamp = Int64(time.timeIntervalSince1970)
        self.id = "\(alert)-\(event)-\(stamp)"
        self.event = event
        self.alert = alert
        self.time = AlertmanagerAlert.time(time)
        self.site = site
        self.kind = kind
        self.cookie = cookie
        self.severity = severity
        self.message = message
        self.pages = pages
        self.pageCount = pageCount
    }
}
