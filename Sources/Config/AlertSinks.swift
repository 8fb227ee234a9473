/// Where alerts go. `alerts.jsonl` in the state directory is always written; the others are optional.
public struct AlertSinks: Sendable, Hashable {
    /// A JSON POST per alert event.
    public struct Webhook: Sendable, Hashable {
        public var url: String
        /// A file holding the bearer token (e.g. a systemd credential); never the token itself.
        public var tokenFile: String?

        public init(url: String, tokenFile: String?) {
            self.url = url
            self.tokenFile = tokenFile
        }
    }

    /// An Alertmanager's base URL; alerts are posted to its `/api/v2/alerts`.
    public struct Alertmanager: Sendable, Hashable {
        public var url: String

        public init(url: String) {
            self.url = url
        }
    }

    /// The always-on log of alert events.
    public var alertsLog: String
    public var webhook: Webhook?
    public var alertmanager: Alertmanager?
    /// How often a still-firing alert is sent again.
    public var repeatInterval: Duration

    public init(alertsLog: String, webhook: Webhook? = nil, alertmanager: Alertmanager? = nil, repeatInterval: Duration)
    {
        self.alertsLog = alertsLog
        self.webhook = webhook
        self.alertmanager = alertmanager
        self.repeatInterval = repeatInterval
    }
}
