/// Where alert events go: `alerts.jsonl` always; webhooks and Alertmanager later, an in-memory twin in tests.
public protocol AlertSink: AnyObject {
    /// Delivers a pass's events, in order.
    func deliver(_ events: [AlertEvent]) throws(FileError)
}
