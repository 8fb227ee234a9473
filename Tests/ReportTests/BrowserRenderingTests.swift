import Foundation
import ProcessTestSupport
import Report
import Testing

/// The HTML report as a real browser sees it: headless Chromium renders it to a PNG and to its DOM.
@Suite("the HTML report in headless Chromium")
struct BrowserRenderingTests {
    @Test("Chromium renders the report to a PNG and its DOM has every section and the SVG chart")
    func chromium() async throws {
        guard let browser = HeadlessBrowser.installed else {
            Issue.record(Comment(rawValue: HeadlessBrowser.missing))
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        let png = directory.appendingPathComponent("report.png")
        try Data(HTMLRenderer.render(try RendererTests.warned()).utf8).write(to: page)

        let profile = directory.path + "/profile"
        let dom = try await browser.dumpDOM(page, profile: profile)
        #expect(dom.status == 0, "\(dom.stderr)")
        for marker in [
            "id=\"warnings\"", "id=\"chart-section\"", "<svg", "<polyline class=\"series\"", "class=\"event appeared\"",
            "id=\"site-example\"", "class=\"coverage\"", "class=\"cookies\"", "class=\"timeline\"",
            "class=\"verdicts\"",
            "class=\"proposals\"",
        ] {
            #expect(dom.stdout.contains(marker), "the DOM lacks \(marker)")
        }

        let shot = try await browser.screenshot(page, to: png, width: 1280, height: 2400, profile: profile)
        #expect(shot.status == 0, "\(shot.stderr)")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(bytes.count > 20_000, "a blank page would be a few kilobytes")
        if let keep = ProcessInfo.processInfo.environment["COOKIEWATCH_KEEP_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: png, to: URL(fileURLWithPath: keep))
        }
    }
}
