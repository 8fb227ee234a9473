import Foundation

/// One alert in Prometheus Alertmanager's `POST /api/v2/alerts` shape.
///
/// Labels identify the alert (Alertmanager groups, silences and routes on them); a resolved alert is
/// the same labels with `endsAt` in the past. A firing alert carries an `endsAt` in the future too:
/// Alertmanager resolves it by itself then, unless cookiewatch sends it again, so a daemon that
/// stops cannot leave alerts firing for ever.
public struct AlertmanagerAlert: Sendable, Hashable, Encodable {
    public var labels: [String: String]
    public var annotations: [String: String]
    public var startsAt: String
    public var endsAt: String
    public var generatorURL: String?

    /// An alert for a cookiewatch finding. `cookie` is a name, never a value.
    public init(
        id: String, site: String, kind: String, cookie: String?, severity: String, message: String, startsAt: Date,
        endsAt: Date, generatorURL: String? = nil
    ) {
        var labels = [
            "alertname": "CookieCharterDrift", "alert_id": id, "site": site, "kind": kind, "severity": severity,
        ]
        if let cookie { labels["cookie"] = cookie }
        self.labels = labels
        self.annotations = ["summary": message]
        self.startsAt = Self.time(startsAt)
        self.endsAt = Self.time(endsAt)
        self.generatorURL = generatorURL
    }

    /// RFC 3339 with milliseconds, as Alertmanager's API documents.
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
