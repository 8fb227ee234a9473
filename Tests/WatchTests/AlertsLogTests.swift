import Foundation
import Testing
import Watch
import WatchTestSupport

@Suite("alerts.jsonl")
struct AlertsLogTests {
    static let start = Date(timeIntervalSince1970: 1_795_824_000)

    /// A finding firing, repeating a day later, then resolved, through the lifecycle.
    static func events() -> [[AlertEvent]] {
        let finding = AlertFinding(
            id: "0123456789abcdef", kind: "lifetime-exceeds-declared", severity: "medium", site: "example",
            cookie: "sessionid", message: "\"sessionid\" lives 30 days; the charter declares \"2 weeks\"",
            pages: [PageKey(url: "https://example.org/", variant: "v")])
        var lifecycle = AlertLifecycle()
        return [(0, true), (86_400, true), (90_000, false)].map { offset, seen in
            lifecycle.observe(
                .init(
                    site: "example", time: start.addingTimeInterval(offset), findings: seen ? [finding] : [],
                    failedPages: []),
                policy: AlertPolicy())
        }
    }

    @Test("each event is one line, appended across reopenings, and reads back as the same event")
    func appends() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let passes = Self.events()
        for events in passes {
            try AlertsLog(path: dir.path + "/alerts.jsonl").deliver(events)
        }
        let bytes = try dir.bytes("alerts.jsonl")
        #expect(bytes.filter { $0 == 0x0A }.count == 3)
        let parsed = try AlertsLog.parse(bytes, file: "alerts.jsonl").get()
        #expect(parsed == passes.flatMap { $0 })
        #expect(parsed.map(\.event) == [.firing, .repeat, .resolved])
        let first = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self)
        #expect(first.hasPrefix(#"{"alert":"0123456789abcdef","event":"firing","finding":{"#))
        #expect(first.hasSuffix(#""since":"2026-11-28T00:00:00Z","time":"2026-11-28T00:00:00Z"}"#))
    }

    @Test("recover cuts an unterminated last line, returns the complete events, and appending goes on cleanly")
    func recover() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/alerts.jsonl"
        #expect(try AlertsLog.recover(path: path).events.isEmpty)
        let passes = Self.events()
        try AlertsLog(path: path).deliver(passes[0] + passes[1])
        let whole = try dir.bytes("alerts.jsonl")
        try Data(whole + Array(#"{"alert":"0123456789abcdef","ev"#.utf8)).write(to: URL(fileURLWithPath: path))
        let recovered = try AlertsLog.recover(path: path)
        #expect(recovered.events == passes[0] + passes[1])
        #expect(recovered.cut?.offset == whole.count && recovered.cut?.length == 31)
        #expect(try dir.bytes("alerts.jsonl") == whole)
        try AlertsLog(path: path).deliver(passes[2])
        #expect(try AlertsLog.parse(try dir.bytes("alerts.jsonl"), file: path).get() == passes.flatMap { $0 })
    }

    @Test("the in-memory sink receives the same events")
    func twin() throws {
        let sink = InMemoryAlertSink()
        for events in Self.events() { try sink.deliver(events) }
        #expect(sink.events == Self.events().flatMap { $0 })
    }

    @Test("a line that is not an event is named with its line number")
    func broken() {
        guard case .failure(let broken) = AlertsLog.parse(Array("{}\n".utf8), file: "alerts.jsonl") else {
            Issue.record("parsed an empty object as an event")
            return
        }
        #expect(broken == BrokenLine(file: "alerts.jsonl", line: 1, offset: 0, reason: "missing key \"event\""))
    }
}
