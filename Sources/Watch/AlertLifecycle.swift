import Foundation

/// Every open alert and where it stands, as a value: each site pass goes in, events come out.
///
/// Per finding id: pending until it has held for the policy's consecutive passes, then firing (one
/// `firing` event, a `repeat` every repeat interval), then `resolved` once absent for the policy's
/// passes. A finding that is not seen on a page that could not be fetched is neither present nor
/// absent: its alert keeps its state, so an outage never resolves or re-fires anything.
public struct AlertLifecycle: Sendable, Hashable, Codable {
    /// Where one alert stands.
    public enum Stage: Sendable, Hashable, Codable {
        /// Seen in `passes` consecutive passes, not yet enough to fire.
        case pending(passes: Int)
        /// Firing since `since`; last sent at `lastSent`; absent for `absentPasses` consecutive passes.
        case firing(since: Date, lastSent: Date, absentPasses: Int)
    }

    /// One alert: its stage and the finding as last seen.
    public struct Alert: Sendable, Hashable, Codable {
        public var stage: Stage
        public var finding: AlertFinding
    }

    /// Open alerts (pending or firing) by finding id.
    public private(set) var alerts: [String: Alert] = [:]

    public init() {}

    /// What one site's scan pass showed.
    public struct SitePass: Sendable {
        public var site: String
        public var time: Date
        /// Every finding the audit produced for the site.
        public var findings: [AlertFinding]
        /// The page variants that could not be fetched in this pass.
        public var failedPages: Set<PageKey>
        /// The cookie names each failed page variant stored at its last successful scan, where known:
        /// they tell whether an alert whose page list is cut may hold on it.
        public var lastCookies: [PageKey: Set<String>]

        public init(
            site: String, time: Date, findings: [AlertFinding], failedPages: Set<PageKey>,
            lastCookies: [PageKey: Set<String>] = [:]
        ) {
            self.site = site
            self.time = time
            self.findings = findings
            self.failedPages = failedPages
            self.lastCookies = lastCookies
        }
    }

    /// Advances every alert of `pass.site` and returns the events to send, ordered by alert id.
    public mutating func observe(_ pass: SitePass, policy: AlertPolicy) -> [AlertEvent] {
        let seen = Dictionary(pass.findings.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var events: [AlertEvent] = []
        let ids = Set(seen.keys).union(alerts.filter { $0.value.finding.site == pass.site }.keys)
        for id in ids.sorted() {
            if let finding = seen[id] {
                events += present(finding, at: pass.time, policy: policy)
            } else if let alert = alerts[id] {
                let unknown = alert.finding.mayHold(on: pass.failedPages, lastCookies: pass.lastCookies)
                events +=
                    unknown ? held(alert, at: pass.time, policy: policy) : absent(alert, at: pass.time, policy: policy)
            }
        }
        return events
    }

    private mutating func present(_ finding: AlertFinding, at time: Date, policy: AlertPolicy) -> [AlertEvent] {
        switch alerts[finding.id]?.stage {
        case nil, .pending:
            var passes = 1
            if case .pending(let before)? = alerts[finding.id]?.stage { passes = before + 1 }
            guard passes >= policy.firingAfter(kind: finding.kind) else {
                alerts[finding.id] = Alert(stage: .pending(passes: passes), finding: finding)
                return []
            }
            alerts[finding.id] = Alert(stage: .firing(since: time, lastSent: time, absentPasses: 0), finding: finding)
            return [AlertEvent(event: .firing, alert: finding.id, time: time, since: time, finding: finding)]
        case .firing(let since, let lastSent, _):
            alerts[finding.id] = Alert(
                stage: .firing(since: since, lastSent: lastSent, absentPasses: 0), finding: finding)
            return repeated(finding.id, at: time, policy: policy)
        }
    }

    private mutating func held(_ alert: Alert, at time: Date, policy: AlertPolicy) -> [AlertEvent] {
        guard case .firing = alert.stage else { return [] }
        return repeated(alert.finding.id, at: time, policy: policy)
    }

    private mutating func absent(_ alert: Alert, at time: Date, policy: AlertPolicy) -> [AlertEvent] {
        let id = alert.finding.id
        guard case .firing(let since, let lastSent, let absentPasses) = alert.stage else {
            // A pending finding that goes away never fired: it is forgotten without an event.
            alerts[id] = nil
            return []
        }
        guard absentPasses + 1 >= max(1, policy.resolvedAfter) else {
            alerts[id]?.stage = .firing(since: since, lastSent: lastSent, absentPasses: absentPasses + 1)
            return repeated(id, at: time, policy: policy)
        }
        alerts[id] = nil
        return [AlertEvent(event: .resolved, alert: id, time: time, since: since, finding: alert.finding)]
    }

    private mutating func repeated(_ id: String, at time: Date, policy: AlertPolicy) -> [AlertEvent] {
        guard let alert = alerts[id], case .firing(let since, let lastSent, let absentPasses) = alert.stage,
            time.timeIntervalSince(lastSent) >= Self.seconds(policy.repeatInterval)
        else { return [] }
        alerts[id]?.stage = .firing(since: since, lastSent: time, absentPasses: absentPasses)
        return [AlertEvent(event: .repeat, alert: id, time: time, since: since, finding: alert.finding)]
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}
