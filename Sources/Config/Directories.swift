/// Where the daemon keeps its state (state.json, history, alerts.jsonl) and its logs.
public struct Directories: Sendable, Hashable {
    public var state: String
    public var logs: String

    public init(state: String, logs: String) {
        self.state = state
        self.logs = logs
    }

    /// Used when neither the config nor systemd (`StateDirectory=`, `LogsDirectory=`) says.
    public static let fallbackState = "/var/lib/cookiewatch"
    public static let fallbackLogs = "/var/log/cookiewatch"
}
