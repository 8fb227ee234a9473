import Foundation
import Report
import Testing

/// The HTML report as a real browser sees it: headless Chromium renders it to a PNG and to its DOM.
@Suite("the HTML report in headless Chromium")
struct BrowserRenderingTests {
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    @Test("Chromium renders the report to a PNG and its DOM has every section and the SVG chart")
    func chromium() async throws {
        guard let browser = Self.candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            let install =
                "no headless browser found (\(Self.candidates.joined(separator: ", "))): install Debian's "
                + "`chromium` package (apt-get install chromium; scripts/test installs it)"
            Issue.record(Comment(rawValue: install))
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        let png = directory.appendingPathComponent("report.png")
        try Data(HTMLRenderer.render(try RendererTests.warned()).utf8).write(to: page)

        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.path)/profile"]
        let dom = try await Self.run(browser, flags + ["--dump-dom", page.absoluteString])
        #expect(dom.status == 0, "\(dom.stderr)")
        for marker in [
            "id=\"warnings\"", "id=\"chart-section\"", "<svg", "<polyline class=\"series\"", "class=\"event appeared\"",
            "id=\"site-example\"", "class=\"coverage\"", "class=\"cookies\"", "class=\"timeline\"", "class=\"alerts\"",
            "class=\"proposals\"",
        ] {
            #expect(dom.stdout.contains(marker), "the DOM lacks \(marker)")
        }

        let shot = try await Self.run(
            browser, flags + ["--screenshot=\(png.path)", "--window-size=1280,2400", page.absoluteString])
        #expect(shot.status == 0, "\(shot.stderr)")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(bytes.count > 20_000, "a blank page would be a few kilobytes")
        if let keep = ProcessInfo.processInfo.environment["COOKIEWATCH_KEEP_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: png, to: URL(fileURLWithPath: keep))
        }
    }

    /// Runs a process and waits for it without holding a thread of the test pool, which the timing
    /// tests of other suites share.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout")
        let err = directory.appendingPathComponent("stderr")
        try Data().write(to: out)
        try Data().write(to: err)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (
            process.terminationStatus, String(decoding: try Data(contentsOf: out), as: UTF8.self),
            String(decoding: try Data(contentsOf: err), as: UTF8.self)
        )
    }
}
