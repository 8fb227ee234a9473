import Charter

/// The inline SVG chart that answers "when did the site start breaking its charter, and did it
/// stop": findings standing at the end of each day, summed over sites, one step line per severity.
/// Colours and dashes both tell severities apart, so it prints in grey too.
enum FindingsChart {
    static let height = 220
    private static let styles: [(Severity, String, String)] = [
        (.critical, "#8b0000", "none"), (.high, "#c0392b", "6 3"), (.medium, "#d35400", "2 2"),
        (.low, "#1b6ca8", "8 2 2 2"), (.info, "#7f8c8d", "1 3"),
    ]

    /// Per day, the counts summed over sites.
    static func totals(_ report: DriftReport) -> [FindingPoint] {
        var byDay: [Int64: [Severity: Int]] = [:]
        for site in report.sites {
            for point in site.findingSeries {
                for (severity, count) in point.counts { byDay[point.day, default: [:]][severity, default: 0] += count }
            }
        }
        return byDay.keys.sorted().map { FindingPoint(day: $0, counts: byDay[$0] ?? [:]) }
    }

    static func render(_ report: DriftReport) -> String {
        let points = totals(report)
        let axes = ChartAxes(
            window: report.window, height: height, maxCount: max(1, points.flatMap { $0.counts.values }.max() ?? 1))
        var out = axes.open(id: "findings-chart", title: "Findings standing at the end of each day, by severity")
        for (index, (severity, colour, dash)) in styles.enumerated() {
            guard points.contains(where: { ($0.counts[severity] ?? 0) > 0 }) else { continue }
            let line = axes.steps(points.map { ($0.day, $0.counts[severity] ?? 0) })
            out += "<polyline class=\"severity-series \(severity.rawValue)\" fill=\"none\" stroke=\"\(colour)\" "
            out += "stroke-width=\"2\" stroke-dasharray=\"\(dash)\" points=\"\(line)\">"
            out += "<title>\(severity.rawValue)</title></polyline>"
            let legendX = axes.left + 120 * index
            out +=
                "<line x1=\"\(legendX)\" x2=\"\(legendX + 20)\" y1=\"\(height - 6)\" y2=\"\(height - 6)\" stroke=\"\(colour)\" "
                + "stroke-width=\"2\" stroke-dasharray=\"\(dash)\"/>"
            out += "<text x=\"\(legendX + 24)\" y=\"\(height - 2)\" font-size=\"11\">\(severity.rawValue)</text>"
        }
        return out + "</svg>"
    }
}
