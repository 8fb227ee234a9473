import Foundation
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
        let demo = try CookieWatchProcess.run(["demo"])
        let directory = try #require(
            demo.stderr.range(of: "charters in ").map { String(demo.stderr[$0.upperBound...].prefix { $0 != "\n" }) })
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try #require(ScanCommandTests.reportPath(demo.stdout))
        #expect(path == directory + "/report.html")

        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory)/profile"]
        let dom = try await Self.run(browser, flags + ["--dump-dom", URL(fileURLWithPath: path).absoluteString])
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
