/// The frame both report charts share: an 800-wide plot over the report's window, counts from 0 up,
/// three ticks, the window's first and last day under it. Integer coordinates keep the SVG small.
struct ChartAxes {
    let window: ReportWindow
    let height: Int
    let maxCount: Int
    let width = 800
    let left = 48
    let right = 16
    let top = 16
    let bottom = 40

    var plotWidth: Double { Double(width - left - right) }
    var plotHeight: Double { Double(height - top - bottom) }

    func x(_ seconds: Int64) -> Double {
        let span = Double(max(1, window.until - window.since))
        return Double(left) + plotWidth * Double(min(max(seconds, window.since), window.until) - window.since) / span
    }

    func y(_ count: Int) -> Double { Double(top) + plotHeight * (1 - Double(count) / Double(max(1, maxCount))) }

    static func n(_ value: Double) -> String { String(Int(value.rounded())) }

    /// The `<svg>` opening (`extraHeight` below for legend rows), its title, the frame, ticks and days.
    func open(id: String, title: String, extraHeight: Int = 0) -> String {
        let n = Self.n
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\" role=\"img\" "
        out += "viewBox=\"0 0 \(width) \(height + extraHeight)\" width=\"100%\" aria-labelledby=\"\(id)-title\">"
        out += "<title id=\"\(id)-title\">\(title)</title>"
        out +=
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" fill=\"none\" stroke=\"#999\"/>"
        for tick in Set([0, maxCount / 2, maxCount]).sorted() {
            out += "<line x1=\"\(left - 4)\" x2=\"\(left)\" y1=\"\(n(y(tick)))\" y2=\"\(n(y(tick)))\" stroke=\"#999\"/>"
            out +=
                "<text x=\"\(left - 6)\" y=\"\(n(y(tick)))\" font-size=\"11\" text-anchor=\"end\" dominant-baseline=\"middle\">\(tick)</text>"
        }
        out += "<text x=\"\(left)\" y=\"\(height - 22)\" font-size=\"11\">\(ReportText.day(window.since))</text>"
        out += "<text x=\"\(width - right)\" y=\"\(height - 22)\" font-size=\"11\" text-anchor=\"end\">"
        out += "\(ReportText.day(window.until - 1))</text>"
        return out
    }

    /// A step line's points: each day's closing count spans that day.
    func steps(_ points: [(day: Int64, count: Int)]) -> String {
        points.flatMap { point in
            let py = Self.n(y(point.count))
            return ["\(Self.n(x(point.day))),\(py)", "\(Self.n(x(point.day + 86_400))),\(py)"]
        }.joined(separator: " ")
    }
}
