import Foundation

/// What the alert lifecycle tells the sinks: an alert started firing, is still firing, or resolved.
public struct AlertEvent: Sendable, Hashable, Codable {
    public enum Transition: String, Sendable, Hashable, Codable {
        case firing
        case `repeat`
        case resolved
    }

    public var event: Transition
    /// The finding's id.
    public var alert: String
    public var time: Date
    /// When the alert started firing.
    public var since: Date
    public var finding: AlertFinding

    public init(event: Transition, alert: String, time: Date, since: Date, finding: AlertFinding) {
        self.event = event
        self.alert = alert
        self.time = time
        self.since = since
        self.finding = finding
    }
}
