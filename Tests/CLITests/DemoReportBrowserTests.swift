import Foundation
import ProcessTestSupport
import Testing

/// The demo's HTML report as a real browser sees it: what `cookiewatch demo` promises a user who
/// opens the file it prints.
@Suite("the demo's HTML report in headless Chromium")
struct DemoReportBrowserTests {
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    @Test("Chromium's DOM of the demo's report has the site's sections, the drift and the SVG chart")
    func demoReport() async throws {
        guard let browser = Self.candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            Issue.record(
                Comment(
                    rawValue: "no headless browser found (\(Self.candidates.joined(separator: ", "))): install "
                        + "Debian's `chromium` package (apt-get install chromium; scripts/test installs it)"))
            return
        }
        let demo = try await ChildProcess.run(["demo"])
        let directory = try #require(
            demo.stderr.range(of: "charters in ").map { String(demo.stderr[$0.upperBound...].prefix { $0 != "\n" }) })
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try #require(ScanCommandTests.reportPath(demo.stdout))
        #expect(path == directory + "/report.html")

        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory)/profile"]
        let dom = try await ChildProcess.run(
            flags + ["--dump-dom", URL(fileURLWithPath: path).absoluteString], binary: URL(fileURLWithPath: browser))
        #expect(dom.status == 0, "\(dom.stderr)")
        for marker in [
            "id=\"chart-section\"", "<svg", "<polyline class=\"series\"", "class=\"event appeared\"",
            "class=\"event changed\"", "id=\"site-demo\"", "class=\"coverage\"", "class=\"cookies\"",
            "class=\"timeline\"", "class=\"proposals\"", "<code>csrftoken</code>", "<code>django_language</code>",
            "<code>sessionid</code>", "<span class=\"appeared\">appeared</span>",
        ] {
            #expect(dom.stdout.contains(marker), "the DOM lacks \(marker)")
        }
    }
}
