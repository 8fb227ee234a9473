import Audit
import Foundation
import ProcessTestSupport
import Testing
import Watch

@Suite("cookiewatch history verify, run as a process")
struct HistoryCommandTests {
    /// Two days of history: three scans of a page that sets no cookie.
    static func setup() throws -> HistoryFixture {
        try HistoryFixture([(1_795_824_000, [], nil), (1_795_827_600, [], []), (1_795_910_400, [], [])])
    }

    @Test("an intact history exits 0 with its segment and line counts")
    func intact() async throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let r = try await ChildProcess.run(["history", "verify", "--config", setup.config])
        #expect(r.status == 0)
        #expect(r.stdout == "\(setup.history): chain intact, 2 segments, 3 lines\n")
        #expect(r.stderr.isEmpty)
    }

    @Test("an edited line exits 1 naming the first line whose link breaks")
    func tampered() async throws {
        let setup = try Self.setup()
        defer { setup.remove() }
        let file = URL(fileURLWithPath: setup.history + "/2026-11-28.jsonl")
        let text = try String(contentsOf: file, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "2026-11-28T00:00:00Z", with: "2026-11-28T00:00:01Z").utf8).write(
            to: file)
        let r = try await ChildProcess.run(["history", "verify", "--config", setup.config])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("cookiewatch: history chain broken at \(file.path):2: prev is "), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("a config that cannot be loaded exits 2")
    func badConfig() async throws {
        let r = try await ChildProcess.run(["history", "verify", "--config", "/nonexistent/config.json"])
        #expect(r.status == 2)
        #expect(r.stderr == "/nonexistent/config.json: config file does not exist\n")
    }
}
