import Charter

/// The inline SVG chart that answers "when did the site start breaking its charter, and did it
/// stop": findings standing at the end of each day, summed over sites, one step line per severity.
/// Colours and dashes both tell severities apart, so it prints in grey too.
enum FindingsChart {
    static let width = 800
    static let height = 220
    private static let left = 48
    private static let right = 16
    private static let top = 16
    private static let bottom = 40
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
        let maxCount = max(1, points.flatMap { $0.counts.values }.max() ?? 1)
        let span = Double(max(1, report.window.until - report.window.since))
        let plotWidth = Double(width - left - right)
        let plotHeight = Double(height - top - bottom)
        func x(_ seconds: Int64) -> Double {
            Double(left) + plotWidth
                * Double(min(max(seconds, report.window.since), report.window.until) - report.window.since) / span
        }
        func y(_ count: Int) -> Double { Double(top) + plotHeight * (1 - Double(count) / Double(maxCount)) }
        func n(_ value: Double) -> String { String(Int(value.rounded())) }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"findings-chart\" role=\"img\" "
        out += "viewBox=\"0 0 \(width) \(height)\" width=\"100%\" aria-labelledby=\"findings-chart-title\">"
        out += "<title id=\"findings-chart-title\">Findings standing at the end of each day, by severity</title>"
        out +=
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" fill=\"none\" stroke=\"#999\"/>"
        for tick in Set([0, maxCount / 2, maxCount]).sorted() {
            out += "<line x1=\"\(left - 4)\" x2=\"\(left)\" y1=\"\(n(y(tick)))\" y2=\"\(n(y(tick)))\" stroke=\"#999\"/>"
            out +=
                "<text x=\"\(left - 6)\" y=\"\(n(y(tick)))\" font-size=\"11\" text-anchor=\"end\" dominant-baseline=\"middle\">\(tick)</text>"
        }
        out += "<text x=\"\(left)\" y=\"\(height - 22)\" font-size=\"11\">\(ReportText.day(report.window.since))</text>"
        out += "<text x=\"\(width - right)\" y=\"\(height - 22)\" font-size=\"11\" text-anchor=\"end\">"
        out += "\(ReportText.day(report.window.until - 1))</text>"
        for (index, (severity, colour, dash)) in styles.enumerated() {
            guard points.contains(where: { ($0.counts[severity] ?? 0) > 0 }) else { continue }
            var line: [String] = []
            for point in points {
                let py = n(y(point.counts[severity] ?? 0))
                line.append("\(n(x(point.day))),\(py)")
                line.append("\(n(x(point.day + 86_400))),\(py)")
            }
            out += "<polyline class=\"severity-series \(severity.rawValue)\" fill=\"none\" stroke=\"\(colour)\" "
            out += "stroke-width=\"2\" stroke-dasharray=\"\(dash)\" points=\"\(line.joined(separator: " "))\">"
            out += "<title>\(severity.rawValue)</title></polyline>"
            let legendX = left + 120 * index
            out +=
                "<line x1=\"\(legendX)\" x2=\"\(legendX + 20)\" y1=\"\(height - 6)\" y2=\"\(height - 6)\" stroke=\"\(colour)\" "
                + "stroke-width=\"2\" stroke-dasharray=\"\(dash)\"/>"
            out += "<text x=\"\(legendX + 24)\" y=\"\(height - 2)\" font-size=\"11\">\(severity.rawValue)</text>"
        }
        return out + "</svg>"
    }
}
