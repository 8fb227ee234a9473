import Charter
import Watch

/// Alert events as the report needs them: what opened and resolved in the window, what is still open.
struct AlertTally: Sendable {
    var opened: [String: [AlertNote]] = [:]
    var resolved: [String: [AlertNote]] = [:]
    var open: [String: (site: String, note: AlertNote)] = [:]
    /// When each alert fired and resolved (nil while firing), by site: the findings chart's spans.
    var spans: [String: [(severity: String, start: Int64, end: Int64?)]] = [:]
    private var spanIndex: [String: (site: String, index: Int)] = [:]

    mutating func add(_ event: AlertEvent, window: ReportWindow) {
        let time = Int64(event.time.timeIntervalSince1970.rounded(.down))
        guard time < window.until else { return }
        let finding = event.finding
        let note = AlertNote(
            id: event.alert, kind: finding.kind, severity: finding.severity, cookie: finding.cookie,
            message: finding.message, time: time, pages: finding.pages, pageCount: finding.pageCount)
        switch event.event {
        case .firing:
            open[event.alert] = (finding.site, note)
            if window.contains(time) { opened[finding.site, default: []].append(note) }
            // Fired again without a resolution in between (a state lost and rebuilt): the alert is one span.
            if spanIndex[event.alert] == nil {
                spans[finding.site, default: []].append((finding.severity, time, nil))
                spanIndex[event.alert] = (finding.site, (spans[finding.site]?.count ?? 1) - 1)
            }
        case .resolved:
            open[event.alert] = nil
            if window.contains(time) { resolved[finding.site, default: []].append(note) }
            if let (site, index) = spanIndex.removeValue(forKey: event.alert) {
                // A span over before the window counts on no day of it: dropped, so memory follows the
                // alerts of the window, not every alert ever logged.
                if time < window.since, index == (spans[site]?.count ?? 0) - 1 {
                    spans[site]?.removeLast()
                } else {
                    spans[site]?[index].end = time
                }
            }
        case .repeat:
            break
        }
    }

    /// Findings standing at the end of each day of `window` that has begun, by severity.
    func series(site: String, window: ReportWindow) -> [FindingPoint] {
        let spans = spans[site] ?? []
        guard !spans.isEmpty else { return [] }
        var points: [FindingPoint] = []
        var day = window.since - window.since % 86_400
        while day < window.until {
            let end = min(day + 86_400, window.until)
            var counts: [Severity: Int] = [:]
            for span in spans where span.start < end && (span.end.map { $0 >= end } ?? true) {
                counts[Severity(rawValue: span.severity) ?? .info, default: 0] += 1
            }
            points.append(FindingPoint(day: day, counts: counts))
            day += 86_400
        }
        return points
    }

    func stillOpen(site: String) -> [AlertNote] {
        open.values.filter { $0.site == site }.map(\.note).sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }
}
