import Watch

/// The in-memory twin of `AlertsLog`: keeps every delivered event.
public final class InMemoryAlertSink: AlertSink {
    public private(set) var events: [AlertEvent] = []

    public init() {}

    public func deliver(_ events: [AlertEvent]) throws(FileError) { self.events += events }
}
