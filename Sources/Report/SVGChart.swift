/// The inline SVG chart: cookies per site over the window, drift events marked. No script, no
/// external asset; colours and shapes both tell sites and events apart, so it prints in grey too.
enum SVGChart {
    static let width = 800
    static let height = 260
    private static let palette = ["#1b6ca8", "#c0392b", "#27864a", "#8e44ad", "#d35400", "#2c3e50"]

    static func render(_ report: DriftReport) -> String {
        let sites = report.sites.filter { !$0.series.isEmpty }
        let axes = ChartAxes(
            window: report.window, height: height, maxCount: max(1, sites.flatMap(\.series).map(\.cookies).max() ?? 1))
        let (left, right) = (axes.left, axes.right)
        func x(_ seconds: Int64) -> Double { axes.x(seconds) }
        func y(_ count: Int) -> Double { axes.y(count) }
        func n(_ value: Double) -> String { ChartAxes.n(value) }

        // Three legend entries a row, beside the event key; more sites add rows below.
        let perRow = 3
        let rows = max(1, (sites.count + perRow - 1) / perRow)
        var out = axes.open(
            id: "chart", title: "Cookies per site over time, drift events marked", extraHeight: 16 * (rows - 1))
        for (index, site) in sites.enumerated() {
            let colour = palette[index % palette.count]
            // Every other site dashed: lines stay apart in a grey print.
            let dash = index % 2 == 0 ? "none" : "6 3"
            // A step line: each day's closing count spans that day.
            let points = axes.steps(site.series.map { ($0.day, $0.cookies) })
            out += "<polyline class=\"series\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" "
            out += "stroke-dasharray=\"\(dash)\" points=\"\(points)\">"
            out += "<title>\(HTMLEscape.text(site.name))</title></polyline>"
            for entry in site.timeline {
                let count = site.series.last { $0.day <= entry.time }?.cookies ?? 0
                let px = x(entry.time)
                let py = y(count)
                let label = HTMLEscape.text(
                    "\(ReportText.time(entry.time)) \(site.name): \(entry.event.cookie.name) \(entry.event.change.rawValue)"
                )
                switch entry.event.change {
                case .appeared:
                    out +=
                        "<path class=\"event appeared\" d=\"M\(n(px)) \(n(py - 7)) l6 10 h-12 z\" fill=\"\(colour)\">"
                case .disappeared:
                    out +=
                        "<path class=\"event disappeared\" d=\"M\(n(px)) \(n(py + 7)) l6 -10 h-12 z\" fill=\"white\" stroke=\"\(colour)\">"
                case .changed:
                    out +=
                        "<circle class=\"event changed\" cx=\"\(n(px))\" cy=\"\(n(py))\" r=\"5\" fill=\"white\" stroke=\"\(colour)\" stroke-width=\"2\">"
                }
                out += "<title>\(label)</title>"
                out += entry.event.change == .changed ? "</circle>" : "</path>"
            }
            let legendX = left + 170 * (index % perRow)
            let legendY = height - 2 + 16 * (index / perRow)
            out +=
                "<line x1=\"\(legendX)\" x2=\"\(legendX + 20)\" y1=\"\(legendY - 4)\" y2=\"\(legendY - 4)\" stroke=\"\(colour)\" stroke-width=\"2\" "
                + "stroke-dasharray=\"\(dash)\"/>"
            out +=
                "<text x=\"\(legendX + 24)\" y=\"\(legendY)\" font-size=\"11\">\(HTMLEscape.text(site.name))</text>"
        }
        out += "<text x=\"\(width - right)\" y=\"\(height - 2)\" font-size=\"11\" text-anchor=\"end\">"
        out += "▲ appeared  ▽ disappeared  ○ changed</text>"
        return out + "</svg>"
    }
}
