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
