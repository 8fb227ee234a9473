import Audit
import Foundation
import Testing
import Watch
import WatchTestSupport

@Suite("History log on disk")
struct HistoryLogTests {
    typealias S = HistorySamples

    /// Three records over two UTC days: a full list, an unchanged line, a failure the next day.
    static let records: [HistoryRecord] = [
        S.scan([S.cookie("sessionid")], previous: nil, at: 3_600),
        S.scan([S.cookie("sessionid")], previous: [S.cookie("sessionid")], at: 7_200),
        HistoryRecord.failure(
            site: "example", page: S.page, time: S.day1.addingTimeInterval(90_000),
            failure: HistoryFailure(code: "dns", message: "no such host", url: "https://example.org/")),
    ]

    static func written(_ dir: TemporaryDirectory) throws -> HistoryLog {
        let log = try HistoryLog.open(directory: dir.path + "/history", now: S.day1).log
        for record in records { try log.append(record) }
        try log.sync()
        return log
    }

    /// Opens the history again after an earlier log of this test was released. Its lock can outlive it
    /// by a moment: a process another test spawns at that instant inherits the locked descriptor between
    /// fork and exec (O_CLOEXEC closes it only at exec), so a refusal is retried for up to 2 s.
    static func reopen(_ dir: TemporaryDirectory, now: Date) throws -> (log: HistoryLog, recovery: HistoryRecovery) {
        let deadline = Date().addingTimeInterval(2)
        while true {
            do {
                return try HistoryLog.open(directory: dir.path + "/history", now: now)
            } catch {
                guard error.errno == EWOULDBLOCK, Date() < deadline else { throw error }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    @Test("lines go to UTC day files, each chained to the previous line's SHA-256 across files")
    func chain() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.written(dir)
        #expect(try dir.names("history") == ["2026-11-28.jsonl", "2026-11-29.jsonl"])
        let lines = try (dir.bytes("history/2026-11-28.jsonl") + dir.bytes("history/2026-11-29.jsonl"))
            .split(separator: 0x0A)
        #expect(lines.count == 3)
        let parsed = try lines.map { try HistoryRecord.parse($0).get() }
        #expect(parsed[0].prev == HexDigest.zero)
        #expect(parsed[1].prev == HexDigest.sha256(lines[0]))
        #expect(parsed[2].prev == HexDigest.sha256(lines[1]))
        let verification = try HistoryLog.verify(directory: dir.path + "/history")
        #expect(verification.broken == nil && verification.lines == 3 && verification.segments == 2)
        #expect(verification.anchor == HexDigest.zero)
    }

    @Test("a reopened log continues the chain, and the in-memory twin writes the same bytes")
    func reopen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.written(dir)
        let (log, recovery) = try Self.reopen(dir, now: S.day1)
        // Nothing to repair; the last record is the last line written, which the daemon checks its state against.
        #expect(recovery.quarantined == nil && recovery.unparseable.isEmpty)
        let lastLine = try #require(try dir.bytes("history/2026-11-29.jsonl").split(separator: 0x0A).last)
        #expect(recovery.lastRecord == (try HistoryRecord.parse(lastLine).get()))
        let before = try dir.bytes("history/2026-11-29.jsonl")
        try log.append(S.scan([S.cookie("csrftoken")], previous: nil, at: 100_000))
        #expect(try dir.bytes("history/2026-11-29.jsonl") == before, "held until the sync writes it")
        try log.sync()
        #expect(try HistoryLog.verify(directory: dir.path + "/history").broken == nil)

        let twin = InMemoryHistoryStore()
        for record in Self.records { try twin.append(record) }
        try twin.append(S.scan([S.cookie("csrftoken")], previous: nil, at: 100_000))
        #expect(twin.segments["2026-11-28.jsonl"] == (try dir.bytes("history/2026-11-28.jsonl")))
        #expect(twin.segments["2026-11-29.jsonl"] == (try dir.bytes("history/2026-11-29.jsonl")))
        #expect(twin.verify() == nil)
    }

    @Test("at open an unterminated last line moves to a quarantine file, reported with its offset")
    func quarantine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.written(dir)
        let intact = try dir.bytes("history/2026-11-29.jsonl")
        let torn = Array(#"{"formatVersion":1,"prev":"ab"#.utf8)
        try dir.write("history/2026-11-29.jsonl", intact + torn)

        let now = S.day1.addingTimeInterval(100_000)
        let (log, recovery) = try Self.reopen(dir, now: now)
        let quarantineFile = dir.path + "/history/quarantine-20261129T034640Z.jsonl"
        #expect(
            recovery.quarantined
                == QuarantinedTail(
                    file: dir.path + "/history/2026-11-29.jsonl", offset: intact.count, length: torn.count,
                    quarantineFile: quarantineFile))
        #expect(try dir.bytes("history/2026-11-29.jsonl") == intact)
        #expect(try dir.bytes("history/quarantine-20261129T034640Z.jsonl") == torn)
        try log.append(S.scan([], previous: nil, at: 100_000))
        #expect(try HistoryLog.verify(directory: dir.path + "/history").broken == nil)
    }

    @Test("at open a complete line that does not parse is reported with its file and line")
    func unparseable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.written(dir)
        let bytes = try dir.bytes("history/2026-11-29.jsonl")
        try dir.write("history/2026-11-29.jsonl", bytes + Array("{}\n".utf8))
        let recovery = try Self.reopen(dir, now: S.day1).recovery
        #expect(recovery.unparseable.map(\.line) == [2])
        #expect(recovery.unparseable.first?.offset == bytes.count)
        #expect(recovery.unparseable.first?.reason == "missing key \"formatVersion\"")
    }

    @Test(
        "opening reads the last segment's end only: a last line over 64 KiB and a torn tail are found, a broken line before them is left to verify"
    )
    func readsTheEndOnly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.written(dir)
        let many = (0..<1_000).map { S.cookie("cookie\($0)") }
        let big = S.scan(many, previous: nil, at: 100_000)
        do { try Self.reopen(dir, now: S.day1).log.append(big) }
        let segment = "history/2026-11-29.jsonl"
        let lines = try dir.bytes(segment).split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 2 && lines[1].count > 100_000)
        let torn = Array(#"{"formatVersion":1,"kind":"sc"#.utf8)
        try dir.write(segment, Array(lines[0]) + [0x0A] + Array("{}\n".utf8) + Array(lines[1]) + [0x0A] + torn)

        let (log, recovery) = try Self.reopen(dir, now: S.day1)
        #expect(recovery.unparseable.isEmpty, "the broken second line is not read at open")
        #expect(recovery.quarantined?.length == torn.count)
        guard case .cookies(_, let cookies, _) = recovery.lastRecord?.outcome else {
            Issue.record("the last record is the 1,000-cookie line: \(String(describing: recovery.lastRecord))")
            return
        }
        #expect(cookies.count == 1_000)
        try log.append(S.scan([], previous: nil, at: 100_100))
        try log.sync()
        let after = try dir.bytes(segment).split(separator: 0x0A)
        try #require(after.count == 4)
        #expect(try HistoryRecord.parse(after[3]).get().prev == HexDigest.sha256(lines[1]))
        let verification = try HistoryLog.verify(directory: dir.path + "/history")
        #expect(verification.broken?.file.hasSuffix(segment) == true && verification.broken?.line == 2)
    }

    /// A damage done to the first day's file and the line `verify` must name.
    struct Damage: Sendable, CustomStringConvertible {
        let description: String
        let apply: @Sendable ([[UInt8]]) -> [UInt8]
        let file: String
        let line: Int
        let reason: String
    }

    static let damages: [Damage] = [
        Damage(
            description: "an edited line breaks the link of the line after it",
            apply: { lines in
                let edited = Array(
                    String(decoding: lines[0], as: UTF8.self).replacingOccurrences(of: "sessionid", with: "sessionjd")
                        .utf8)
                return edited + [0x0A] + lines[1] + [0x0A]
            }, file: "2026-11-28.jsonl", line: 2, reason: "prev is "),
        Damage(
            description: "a removed line breaks the link of the line after it",
            apply: { lines in lines[0] + [0x0A] }, file: "2026-11-29.jsonl", line: 1, reason: "prev is "),
        Damage(
            description: "a line that is not JSON is named itself",
            apply: { lines in lines[0] + Array("\ngarbage\n".utf8) + lines[1] + [0x0A] }, file: "2026-11-28.jsonl",
            line: 2, reason: "not valid JSON"),
        Damage(
            description: "an unterminated line is named itself",
            apply: { lines in lines[0] + [0x0A] + lines[1] }, file: "2026-11-28.jsonl", line: 2,
            reason: "unterminated line of"),
    ]

    @Test("verify names the first broken line, its file and why", arguments: damages)
    func verifyDamage(damage: Damage) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.written(dir)
        let lines = try dir.bytes("history/2026-11-28.jsonl").split(separator: 0x0A).map(Array.init)
        try dir.write("history/2026-11-28.jsonl", damage.apply(lines))
        let broken = try HistoryLog.verify(directory: dir.path + "/history").broken
        #expect(broken?.file == dir.path + "/history/" + damage.file)
        #expect(broken?.line == damage.line)
        #expect(broken?.reason.contains(damage.reason) == true, "\(String(describing: broken))")
    }

    @Test("retention removes segments older than N days; the rest still verifies from a non-zero anchor")
    func retention() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let log = try Self.written(dir)
        let removed = try log.removeSegments(olderThan: 0, now: S.day1.addingTimeInterval(90_000))
        #expect(removed == [dir.path + "/history/2026-11-28.jsonl"])
        #expect(try dir.names("history") == ["2026-11-29.jsonl"])
        let verification = try HistoryLog.verify(directory: dir.path + "/history")
        #expect(verification.broken == nil && verification.lines == 1)
        #expect(verification.anchor != HexDigest.zero)
        #expect(try log.removeSegments(olderThan: 1, now: S.day1.addingTimeInterval(90_000)).isEmpty)
    }

    @Test("a second writer on the same history is refused while the first has it open")
    func exclusive() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var first: HistoryLog? = try HistoryLog.open(directory: dir.path + "/history", now: S.day1).log
        #expect(first != nil)
        #expect {
            try HistoryLog.open(directory: dir.path + "/history", now: S.day1)
        } throws: { error in
            (error as? FileError)?.description
                == "\(dir.path)/history: cannot lock: another cookiewatch process is writing this history"
        }
        first = nil
        _ = try Self.reopen(dir, now: S.day1)
    }

    @Test(
        "appends are measured per fsync policy (lines per second, debug build)",
        arguments: [(HistorySyncPolicy.onSync, 2_000), (.everyLine, 200)])
    func throughput(policy: HistorySyncPolicy, count: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let log = try HistoryLog.open(directory: dir.path + "/history", syncPolicy: policy, now: S.day1).log
        let record = S.scan([S.cookie("sessionid"), S.cookie("csrftoken")], previous: nil)
        let start = ContinuousClock.now
        for index in 0..<count {
            try log.append(record)
            // A pass of 100 page variants.
            if index % 100 == 99 { try log.sync() }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "history append, \(policy): \(Int(Double(count) / seconds)) lines/s (\(record.line().count + 1) bytes a line)"
        )
        #expect(try HistoryLog.verify(directory: dir.path + "/history").lines == count)
    }
}
