import Audit
import Foundation
import ProcessTestSupport
import Testing
import Watch

@Suite("cookiewatch report, run as a process")
struct ReportCommandTests {
    /// Three days of history: `csrftoken`, then `_hjSession` appears and stays.
    static func setup() throws -> HistoryFixture {
        let csrf = cookie("csrftoken")
        let session = cookie("_hjSession")
        return try HistoryFixture([
            (1_795_824_000, [csrf], nil),  // 2026-11-28
            (1_795_910_400, [csrf, session], [csrf]),  // 2026-11-29
            (1_795_996_800, [csrf, session], [csrf, session]),  // 2026-11-30
        ])
    }

    static func cookie(_ name: String) -> HistoryCookie {
        HistoryCookie(
            name: name, domain: "example.org", hostOnly: true, path: "/",
            attributes: CookieAttributes(
                secure: true, httpOnly: false, sameSite: .lax, partitioned: false, lifetime: 31_449_600,
                setBy: "https://example.org/", valueShape: "hex"),
            valueLength: 32, valueShape: "hex", valueFingerprint: "fedcba9876543210")
    }

    @Test("Markdown on stdout: the seed charter's coverage, the drift and the proposed entry")
    func markdown() async throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let r = try await ChildProcess.run([
            "report", "--config", setup.config, "--since", "2026-11-28", "--until", "2026-11-30", "--format", "md",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("## Site s"))
        #expect(r.stdout.contains("| 1 | 3 | 0 | 2 | 0 | 0 | 0 |"))
        #expect(r.stdout.contains("| 2026-11-29T00:00:00Z | https://example.org/ [default] | appeared | _hjSession |"))
        #expect(r.stdout.contains("Declared, not seen, observable `script` (2): `cookies_preferences`, `_BEAMER*`"))
        #expect(r.stdout.contains(#""name": "_hjSession""#))
        #expect(!r.stdout.contains("fedcba9876543210"))
        #expect(r.stderr.isEmpty)
    }

    @Test("a window reads only the days it needs, and a torn line shows as a warning with file and line")
    func tornAndWindow() async throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let last = URL(fileURLWithPath: setup.history + "/2026-11-30.jsonl")
        let handle = try FileHandle(forWritingTo: last)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"formatVersion":1"#.utf8))
        try handle.close()
        let r = try await ChildProcess.run([
            "report", "--config", setup.config, "--since", "2026-11-30", "--until", "2026-11-30", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"file\": \"\(last.path)\""))
        #expect(r.stdout.contains("unterminated last line of 18 bytes (a torn write), skipped"))
        #expect(r.stdout.contains("\"scans\": 1"))
    }

    @Test("--output writes the HTML page to a file; an empty window says nothing was scanned")
    func htmlOutput() async throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let output = setup.directory.appendingPathComponent("report.html").path
        let r = try await ChildProcess.run([
            "report", "--config", setup.config, "--since", "2025-01-01", "--until", "2025-01-31", "--output", output,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Nothing scanned in this window."))
    }

    @Test(
        "a config that cannot be loaded, a bad --since or an unknown --site exits 2",
        arguments: [
            (["--config", "/nonexistent/config.json"], "/nonexistent/config.json: config file does not exist\n"),
            (
                ["--since", "yesterday"],
                "cookiewatch: --since: expected a number of days (30d) or YYYY-MM-DD, got \"yesterday\"\n"
            ),
            (["--site", "nope"], "cookiewatch: --site nope: no such site in CONFIG (sites: s)\n"),
        ])
    func usage(arguments: [String], message: String) async throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let r = try await ChildProcess.run(["report", "--config", setup.config] + arguments)
        #expect(r.status == 2)
        #expect(r.stderr == message.replacingOccurrences(of: "CONFIG", with: setup.config))
    }
}
