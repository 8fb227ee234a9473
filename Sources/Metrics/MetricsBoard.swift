import Synchronization

/// The daemon's metrics behind a lock: its loop updates them, the `/metrics` endpoint's threads
/// render them.
public final class MetricsBoard: Sendable {
    private let metrics: Mutex<DaemonMetrics>

    public init(_ metrics: DaemonMetrics) {
        self.metrics = Mutex(metrics)
    }

    public func update(_ change: (inout DaemonMetrics) -> Void) {
        metrics.withLock { change(&$0) }
    }

    /// The values now (for tests and logs).
    public var current: DaemonMetrics { metrics.withLock { $0 } }

    /// The exposition document now, rendered outside the lock.
    public func render() -> String { current.render() }
}
