import Foundation
@testable import Report
import StrictJSON
import Testing

@Suite("the report renderers")
struct RendererTests {
    static func warned() throws -> DriftReport {
        var history = Samples.history()
        history.files["2026-11-29.jsonl", default: []] += Array("{\"torn".utf8)
        return try Samples.report(history, alerts: [Samples.alert("firing", id: "a2", at: "2026-11-28T10:00:00Z")])
    }

    @Test("Markdown has the summary, coverage, cookie table, timeline, alerts, proposals and warnings")
    func markdown() throws {
        let text = MarkdownRenderer.render(try Self.warned())
        for heading in [
            "# Cookie drift report", "## Warnings", "## Site example", "### Charter coverage", "### Cookies",
            "### Drift timeline", "## Findings standing at the end of the window", "### Findings",
            "### Proposed charter changes",
        ] {
            #expect(text.contains("\n\(heading)\n") || text.hasPrefix(heading), "missing \(heading)")
        }
        #expect(
            text.contains("- history/2026-11-29.jsonl:3: unterminated last line of 6 bytes (a torn write), skipped"))
        #expect(text.contains("| 2 | 6 | 1 | 2 | 1 | 0 | 1 |"))
        #expect(text.contains("| `_ga` (gone) |"))
        #expect(text.contains("UNDECLARED"))
        #expect(text.contains("33% (1/3)"))
        #expect(text.contains("EXCEEDED"))
        #expect(text.contains(#""category": "statistics""#))
        #expect(text.contains("`cookies_preferences`"))
    }

    @Test("JSON parses and carries the documented top-level and per-site keys")
    func json() throws {
        let text = JSONReportRenderer.render(try Self.warned())
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["window", "generated", "empty", "verdicts", "warnings", "sites"])
        #expect(object["empty"] as? Bool == false)
        let warnings = try #require(object["warnings"] as? [[String: Any]])
        #expect(warnings.first?["file"] as? String == "history/2026-11-29.jsonl")
        #expect(warnings.first?["line"] as? Int == 3)
        let site = try #require((object["sites"] as? [[String: Any]])?.first)
        #expect(
            Set(site.keys) == [
                "name", "pages", "scans", "failedScans", "cookiesNow", "cookies", "timeline", "series", "coverage",
                "alerts", "baseline", "verdicts", "findingSeries",
            ])
        let coverage = try #require(site["coverage"] as? [String: Any])
        let proposed = try #require((coverage["proposedEntries"] as? [[String: Any]])?.first)
        #expect(
            proposed["category"] as? String == "statistics" && proposed["provider"] as? String == "Google Analytics")
        let timeline = try #require(site["timeline"] as? [[String: Any]])
        #expect(timeline.map { $0["change"] as? String } == ["appeared", "disappeared", "changed"])
    }

    @Test("JSON streamed one site at a time is the text of the whole tree, handed on in several chunks")
    func jsonStreams() throws {
        var history = Samples.history()
        history.scan(Samples.home, at: Samples.day + 2 * 86_400, [Samples.cookie("sid")], site: "second")
        let report = try Samples.report(history)
        #expect(report.sites.count == 2)
        var chunks: [[UInt8]] = []
        var stream = ReportStream(chunkSize: 512) { chunks.append($0) }
        JSONReportRenderer.render(report, to: &stream)
        stream.finish()
        #expect(chunks.count > 2)
        #expect(String(decoding: chunks.joined(), as: UTF8.self) == JSONWriter.pretty(JSONReportRenderer.value(report)))
        let empty = try Samples.report(HistoryFixture())
        #expect(JSONReportRenderer.render(empty) == JSONWriter.pretty(JSONReportRenderer.value(empty)))
    }

    @Test("HTML is one page with its sections, an inline SVG chart, print CSS, and no script or external asset")
    func html() throws {
        let text = HTMLRenderer.render(try Self.warned())
        for marker in [
            "<section id=\"warnings\"", "<section id=\"chart-section\"", "<svg ", "class=\"event appeared\"",
            "class=\"event disappeared\"", "class=\"event changed\"", "<section class=\"site\" id=\"site-example\"",
            "<section class=\"coverage\"", "<section class=\"cookies\"", "<section class=\"timeline\"",
            "<section id=\"verdicts\"", "<section class=\"verdicts\"", "id=\"findings-chart\"",
            "<section class=\"proposals\"", "@media print",
        ] {
            #expect(text.contains(marker), "missing \(marker)")
        }
        #expect(!text.lowercased().contains("<script"))
        #expect(!text.contains("src="))
        #expect(!text.contains("<link"))
        #expect(!text.contains("url("))
    }

    @Test("the chart has a line per site and adds a legend row for every three sites")
    func chartLegend() throws {
        var history = HistoryFixture()
        for site in 0..<7 {
            history.scan(
                Samples.home, at: Samples.day + 86_400 + Int64(site), [Samples.cookie("a")], site: "site-\(site)")
        }
        let text = HTMLRenderer.render(try Samples.report(history))
        #expect(text.contains("viewBox=\"0 0 800 292\""))
        #expect(text.components(separatedBy: "<polyline class=\"series\"").count == 8)
        #expect(text.contains(">site-6</text>"))
    }

    @Test("text from the history is escaped in HTML")
    func escaping() throws {
        var history = HistoryFixture()
        history.scan(Samples.home, at: Samples.day + 86_400 + 3_600, [Samples.cookie("<b>x</b>")])
        let text = HTMLRenderer.render(try Samples.report(history))
        #expect(!text.contains("<b>x</b>"))
        #expect(text.contains("&lt;b&gt;x&lt;/b&gt;"))
    }

    @Test("an empty history renders 'nothing scanned in this window' in every format")
    func empty() throws {
        let report = try Samples.report(HistoryFixture())
        #expect(MarkdownRenderer.render(report).contains("**Nothing scanned in this window.**"))
        #expect(HTMLRenderer.render(report).contains("<section id=\"empty\"><h2>Nothing scanned in this window.</h2>"))
        #expect(JSONReportRenderer.render(report).contains("\"empty\": true"))
    }

    @Test("CSV: RFC 4180 quoting, CRLF records, and no cell a spreadsheet would run as a formula")
    func csv() throws {
        let report = try Self.warned()
        let cookies = CSVRenderer.cookies(report)
        #expect(cookies.hasPrefix(CSVRenderer.cookieColumns.joined(separator: ",") + "\r\n"))
        let rows = cookies.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 1 + (report.sites.first?.cookies.count ?? 0))
        let findings = CSVRenderer.findings(report).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(findings.count == 2 && findings[1].hasPrefix("example,high,undeclared,_ga,"))
        #expect(CSVRenderer.cell("a,b") == "\"a,b\"" && CSVRenderer.cell("say \"x\"") == "\"say \"\"x\"\"\"")
        #expect(CSVRenderer.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(
            CSVRenderer.cell("@cmd") == "'@cmd" && CSVRenderer.cell("-1") == "-1" && CSVRenderer.cell("+x") == "'+x")
        // By scalar: a comma or quote with a combining mark is one Character, and must still be quoted.
        #expect(CSVRenderer.cell("a,\u{301}b") == "\"a,\u{301}b\"")
        #expect(CSVRenderer.cell("\"\u{301}") == "\"\"\"\u{301}\"")
        #expect(CSVRenderer.cell("a\r\nb") == "\"a\r\nb\"")
        #expect(CSVRenderer.cell("-inf") == "'-inf" && CSVRenderer.cell("-0x1p3") == "'-0x1p3")
    }

    @Test("a standing finding whose alert list is cut says how many pages it holds on in all")
    func cutAlert() throws {
        let pages = (0..<4).map { #"{"url":"https://example.org/\#($0)","variant":"no-consent"}"# }
        let line = Samples.alert("firing", id: "a9", at: "2026-11-28T10:00:00Z").replacingOccurrences(
            of: #""pages":[{"url":"https://example.org/","variant":"no-consent"}],"#,
            with: #""pageCount":250,"pages":["# + pages.joined(separator: ",") + "],")
        let report = try Samples.report(alerts: [line])
        #expect(MarkdownRenderer.render(report).contains("and 247 more"))
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(JSONReportRenderer.render(report).utf8)) as? [String: Any])
        let site = try #require((object["sites"] as? [[String: Any]])?.first)
        let verdicts = try #require(site["verdicts"] as? [[String: Any]])
        #expect(verdicts.first?["pageCount"] as? Int == 250)
        #expect((verdicts.first?["pages"] as? [Any])?.count == 4)
    }
}
