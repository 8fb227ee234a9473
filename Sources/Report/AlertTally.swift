import Watch

/// Alert events as the report needs them: what opened and resolved in the window, what is still open.
struct AlertTally: Sendable {
    var opened: [String: [AlertNote]] = [:]
    var resolved: [String: [AlertNote]] = [:]
    var open: [String: (site: String, note: AlertNote)] = [:]

    mutating func add(_ event: AlertEvent, window: ReportWindow) {
        let time = Int64(event.time.timeIntervalSince1970.rounded(.down))
        guard time < window.until else { return }
        let finding = event.finding
        let note = AlertNote(
            id: event.alert, kind: finding.kind, severity: finding.severity, cookie: finding.cookie,
            message: finding.message, time: time)
        switch event.event {
        case .firing:
            open[event.alert] = (finding.site, note)
            if window.contains(time) { opened[finding.site, default: []].append(note) }
        case .resolved:
            open[event.alert] = nil
            if window.contains(time) { resolved[finding.site, default: []].append(note) }
        case .repeat:
            break
        }
    }

    func stillOpen(site: String) -> [AlertNote] {
        open.values.filter { $0.site == site }.map(\.note).sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }
}
