import Foundation
import ProcessTestSupport
import Testing

/// The demo's HTML report as a real browser sees it: what `cookiewatch demo` promises a user who
/// opens the file it prints.
@Suite("the demo's HTML report in headless Chromium")
struct DemoReportBrowserTests {
    @Test("Chromium's DOM of the demo's report has the site's sections, the drift and the SVG chart")
    func demoReport() async throws {
        guard let browser = HeadlessBrowser.installed else {
            Issue.record(Comment(rawValue: HeadlessBrowser.missing))
            return
        }
        let demo = try await ChildProcess.run(["demo"])
        let directory = try #require(
            demo.stderr.range(of: "charters in ").map { String(demo.stderr[$0.upperBound...].prefix { $0 != "\n" }) })
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try #require(ScanCommandTests.reportPath(demo.stdout))
        #expect(path == directory + "/report.html")

        // Rendered as a person opens it (a PNG), and read through Chromium's DOM for what it says.
        let png = URL(fileURLWithPath: directory + "/report.png")
        let shot = try await browser.screenshot(
            URL(fileURLWithPath: path), to: png, width: 1280, height: 1600, profile: directory + "/profile-png")
        #expect(shot.status == 0, "\(shot.stderr)")
        #expect(try Data(contentsOf: png).prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        if let keep = ProcessInfo.processInfo.environment["COOKIEWATCH_KEEP_DEMO_PNG"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: png, to: URL(fileURLWithPath: keep))
        }
        let dom = try await browser.dumpDOM(URL(fileURLWithPath: path), profile: directory + "/profile")
        #expect(dom.status == 0, "\(dom.stderr)")
        for marker in [
            "id=\"chart-section\"", "<svg", "<polyline class=\"series\"", "class=\"event appeared\"",
            "class=\"event changed\"", "id=\"site-demo\"", "class=\"coverage\"", "class=\"cookies\"",
            "class=\"timeline\"", "class=\"proposals\"", "<code>csrftoken</code>", "<code>django_language</code>",
            "<code>sessionid</code>", "<span class=\"appeared\">appeared</span>",
        ] {
            #expect(dom.stdout.contains(marker), "the DOM lacks \(marker)")
        }
        // Verdicts first: the demo's findings, before any chart or site section, highest severity first.
        let verdictsStart = try #require(dom.stdout.range(of: "id=\"verdicts\""))
        let chartStart = try #require(dom.stdout.range(of: "id=\"chart-section\""))
        #expect(verdictsStart.lowerBound < chartStart.lowerBound)
        let verdicts = String(dom.stdout[verdictsStart.upperBound..<chartStart.lowerBound])
        #expect(verdicts.contains("critical 1, high 1, medium 5, low 0, info 0"), "\(verdicts.prefix(400))")
        let rows = verdicts.components(separatedBy: "<tr>").dropFirst(2)
        #expect(rows.count == ScanCommandTests.deliberate.count, "\(verdicts.prefix(2_000))")
        let found = rows.map { row -> String in
            let cells = row.components(separatedBy: "<td>").dropFirst().map {
                String($0.prefix { $0 != "<" })
            }
            let severity = row.range(of: "class=\"severity ").map { row[$0.upperBound...].prefix { $0 != "\"" } } ?? ""
            let cookie = row.range(of: "<code>").map { row[$0.upperBound...].prefix { $0 != "<" } } ?? ""
            return "\(severity) \(cells.count > 2 ? cells[2] : "") \(cookie)"
        }
        #expect(found.sorted() == ScanCommandTests.deliberate, "\(found)")
        #expect(found.first?.hasPrefix("critical set-before-consent") == true)

        // The proposed entry for the undeclared `_ga`, suggested from the Open Cookie Database.
        let proposals = try #require(
            dom.stdout.range(of: "class=\"proposals\"").map {
                String(dom.stdout[$0.upperBound...].prefix(4_000)).replacing("&quot;", with: "\"")
            })
        for text in [
            #""name": "_ga""#, #""provider": "Google Analytics""#, #""category": "statistics""#,
            "Open Cookie Database 256c18e8-d881-11e9-8a34-2a2ae2dbcce4",
        ] {
            #expect(proposals.contains(text), "the proposed entries lack \(text): \(proposals.prefix(600))")
        }
    }
}
