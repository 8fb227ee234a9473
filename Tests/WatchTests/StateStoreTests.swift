import Foundation
import Testing

@testable import Watch

@Suite("State store: snapshot and journal")
struct StateStoreTests {
    static let now = Date(timeIntervalSince1970: 1_795_824_000)

    static func sample() -> WatchState {
        var alerts = AlertLifecycle()
        let finding = AlertFinding(
            id: "0123456789abcdef", kind: "undeclared", severity: "high", site: "example", cookie: "_ga",
            message: "\"_ga\" is not in the charter", pages: [PageKey(url: "https://example.org/", variant: "v")])
        _ = alerts.observe(
            .init(site: "example", time: now, findings: [finding], failedPages: []), policy: AlertPolicy())
        return WatchState(
            pages: [
                PageState(
                    site: "example", page: PageKey(url: "https://example.org/", variant: "v"),
                    lastDigest: HistoryRecord.digest(of: [HistorySamples.cookie("sessionid", lifetime: nil)]),
                    lastCookies: [HistorySamples.cookie("sessionid", lifetime: nil)], consecutiveFailures: 0,
                    nextDue: now.addingTimeInterval(3_600)),
                PageState(
                    site: "example", page: PageKey(url: "https://example.org/login", variant: "v"), lastDigest: nil,
                    consecutiveFailures: 2, nextDue: nil),
            ],
            alerts: alerts)
    }

    @Test("a snapshot loads back equal; no temporary file is left; none at all loads as nil")
    func roundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = StateStore(stateDirectory: dir.path)
        #expect(try store.load().state == nil)
        try store.snapshot(WatchState())
        try store.snapshot(Self.sample())
        #expect(try StateStore(stateDirectory: dir.path).load().state == Self.sample())
        #expect(try dir.names() == ["state.journal", "state.json"])
        #expect(String(decoding: try dir.bytes("state.json"), as: UTF8.self).contains("\"2026-11-28T01:00:00Z\""))
    }

    @Test(
        "a state file that is not exactly a state is refused, naming the file and the key path",
        arguments: [
            (#"{"formatVersion": 1, "pages": [], "alerts": {"alerts": {}}, "extra": 1}"#, "extra: unknown key"),
            (
                #"{"formatVersion": 1, "pages": [{"site": "s", "page": {"url": "u", "variant": "v"}, "consecutiveFailures": "2"}], "alerts": {"alerts": {}}}"#,
                "pages[0].consecutiveFailures: expected an integer (line 1, column 107)"
            ),
            (
                #"{"formatVersion": 1, "pages": [{"site": "s", "page": {"url": "u", "variant": "v"}, "consecutiveFailures": 0, "lastDigets": "x"}], "alerts": {"alerts": {}}}"#,
                "pages[0].lastDigets: unknown key"
            ),
            (#"{"formatVersion": 1, "pages": []}"#, "missing key \"alerts\""),
            (#"{"formatVersion": 9, "pages": [], "alerts": {"alerts": {}}}"#, "formatVersion 9 is newer"),
            (
                #"{"formatVersion": 1, "pages": [{"site": "s", "page": {"url": "u", "variant": "v"}, "consecutiveFailures": 0, "nextDue": "soon"}], "alerts": {"alerts": {}}}"#,
                "pages[0].nextDue: expected an RFC 3339 time, got \"soon\""
            ),
        ])
    func strict(text: String, expected: String) throws {
        try Self.expectRefused(text, expected)
    }

    @Test("an unknown key deep in a long page list is found, with its index")
    func unknownKeyInLongList() throws {
        let pages = (0..<1_500).map { n in
            #"{"site": "s", "page": {"url": "u\#(n)", "variant": "v"}, "consecutiveFailures": 0"#
                + (n == 1_300 ? #", "lastDigets": "x"}"# : "}")
        }
        let text = #"{"formatVersion": 1, "alerts": {"alerts": {}}, "pages": ["# + pages.joined(separator: ",\n") + "]}"
        try Self.expectRefused(text, "pages[1300].lastDigets: unknown key")
    }

    static func expectRefused(_ text: String, _ expected: String...) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("state.json", Array(text.utf8))
        let store = StateStore(stateDirectory: dir.path)
        #expect {
            try store.load()
        } throws: { error in
            guard let error = error as? FileError else { return false }
            return error.file == store.snapshotPath && error.operation == "load the state"
                && expected.allSatisfy { error.reason.contains($0) }
        }
    }

    @Test("a null for an optional value is accepted")
    func nulls() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write(
            "state.json",
            Array(
                #"{"formatVersion": 1, "pages": [{"site": "s", "page": {"url": "u", "variant": "v"}, "consecutiveFailures": 0, "lastDigest": null}], "alerts": {"alerts": {}}}"#
                    .utf8))
        #expect(try StateStore(stateDirectory: dir.path).load().state?.pages.first?.lastDigest == nil)
    }

    /// A store in `dir`, loaded, whose snapshot is `sample()`.
    static func storeWithSample(in dir: TemporaryDirectory) throws -> StateStore {
        let store = StateStore(stateDirectory: dir.path)
        _ = try store.load()
        try store.snapshot(sample())
        return store
    }

    static func event(_ alert: String, _ seconds: Int, message: String = "m") -> AlertEvent {
        let finding = AlertFinding(
            id: alert, kind: "undeclared", severity: "high", site: "example", cookie: "_ga", message: message,
            pages: [PageKey(url: "https://example.org/", variant: "v")])
        return AlertEvent(
            event: .firing, alert: alert, time: now.addingTimeInterval(TimeInterval(seconds)), since: now,
            finding: finding)
    }

    @Test("changes appended to the journal replay over the snapshot, in order, at the next load")
    func journalReplay() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.storeWithSample(in: dir)
        var changed = Self.sample().pages[1]
        changed.consecutiveFailures = 3
        let (a, b) = (Self.event("a", 1), Self.event("b", 2))
        try store.append([.page(changed), .pendingAdd([a, b]), .outbox([a])])
        try store.append([.pendingRemove([a.key]), .outbox([])])
        let loaded = try #require(try StateStore(stateDirectory: dir.path).load().state)
        #expect(loaded.pages.map(\.consecutiveFailures) == [0, 3])
        #expect(loaded.webhookPending == [b])
        #expect(loaded.outbox == nil)
        #expect(try StateStore.peek(stateDirectory: dir.path) == loaded)
    }

    @Test("a torn last journal line is cut, leaving the state of the previous save; a bad whole line is refused")
    func tornAndBadLines() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.storeWithSample(in: dir)
        try store.append([.pendingAdd([Self.event("a", 1)])])
        let whole = try dir.bytes("state.journal")
        let torn = Array(#"{"pendingRemove":["a-fir"#.utf8)
        try dir.write("state.journal", whole + torn)
        let reopened = StateStore(stateDirectory: dir.path)
        let loaded = try reopened.load()
        #expect(loaded.cut == torn.count)
        #expect(loaded.state?.webhookPending?.map(\.alert) == ["a"])
        #expect(try dir.bytes("state.journal") == whole, "the torn tail is cut off the file")

        try dir.write("state.journal", whole + Array("{\"pages\": 1}\n".utf8))
        #expect {
            try StateStore(stateDirectory: dir.path).load()
        } throws: { error in
            guard let error = error as? FileError else { return false }
            return error.file == store.journalPath && error.reason.hasPrefix("line 2: ")
        }
        let page = #"{"page":{"consecutiveFailures":0,"page":{"url":"u","variant":"v"},"site":"s","nextDue":"soon"}}"#
        try dir.write("state.journal", whole + Array((page + "\n").utf8))
        #expect {
            try StateStore(stateDirectory: dir.path).load()
        } throws: { error in
            (error as? FileError)?.reason
                == #"line 2: page.nextDue: expected an RFC 3339 time, got "soon" (line 1, column 88)"#
        }
    }

    @Test("a crash after a snapshot but before the journal was emptied replays to the same state")
    func idempotentReplay() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.storeWithSample(in: dir)
        let (a, b) = (Self.event("a", 1), Self.event("b", 2))
        var page = Self.sample().pages[0]
        page.consecutiveFailures = 5
        try store.append([.pendingAdd([a, b]), .page(page), .pendingRemove([a.key]), .alerts(AlertLifecycle())])
        let journal = try dir.bytes("state.journal")
        let state = try #require(try StateStore(stateDirectory: dir.path).load().state)
        // The snapshot of that state was renamed into place, then the process died: the journal is old.
        try store.snapshot(state)
        try dir.write("state.journal", journal)
        #expect(try StateStore(stateDirectory: dir.path).load().state == state)
    }

    @Test("the journal is folded into a snapshot once it outgrows it, so saving costs what changed")
    func compaction() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.storeWithSample(in: dir)
        var state = Self.sample()
        var snapshots = 0
        let long = String(repeating: "x", count: 2_000)
        for n in 0..<1_500 {
            let event = Self.event("e\(n)", n, message: long)
            state = state.applying([.pendingAdd([event])])
            if store.wantsSnapshot {
                try store.snapshot(state)
                snapshots += 1
            } else {
                try store.append([.pendingAdd([event])])
            }
        }
        #expect(snapshots >= 1, "the journal passed 1 MiB and was folded in")
        #expect(store.journalBytes <= max(StateStore.minimumJournalBytes, store.snapshotBytes) + 2_000)
        #expect(try StateStore(stateDirectory: dir.path).load().state == state)
    }

    /// Saves `pages` page variants in batches of 100, each with a digest of `digestLength` characters;
    /// returns how many saves wrote a snapshot.
    static func round(
        _ store: StateStore, _ state: inout WatchState, pages: Int, digestLength: Int
    ) throws -> Int {
        var snapshots = 0
        for batch in stride(from: 0, to: pages, by: 100) {
            let changes = (batch..<min(pages, batch + 100)).map { n in
                StateChange.page(
                    PageState(
                        site: "shop", page: PageKey(url: "https://shop.example/p\(n)", variant: "v"),
                        lastDigest: String(repeating: "d", count: digestLength), consecutiveFailures: 0, nextDue: nil))
            }
            state = state.applying(changes)
            let before = store.snapshotBytes
            try store.save(changes) { state }
            if store.snapshotBytes != before { snapshots += 1 }
        }
        return snapshots
    }

    /// A store started empty in `dir` after a first round of 3,000 new pages of about 1 KB each: three
    /// times the 1 MiB below which nothing is folded anyway. Returns how many saves wrote a snapshot.
    static func firstRound(in dir: TemporaryDirectory) throws -> (StateStore, WatchState, Int) {
        let store = StateStore(stateDirectory: dir.path)
        _ = try store.load()
        var state = WatchState()
        let snapshots = try round(store, &state, pages: 3_000, digestLength: 900)
        return (store, state, snapshots)
    }

    @Test("a first round of new pages is written once, to the journal; rounds that change them all fold into snapshots")
    func growthIsNotReplacement() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var (store, state, snapshots) = try Self.firstRound(in: dir)
        #expect(snapshots == 0)
        #expect(store.bytesWritten == store.journalBytes && store.grownBytes == store.journalBytes)
        #expect(store.replacedBytes == 0 && store.snapshotBytes == 0)
        #expect(try StateStore(stateDirectory: dir.path).load().state == state)
        // Every page changed, twice: the replacing lines outweigh the state in the second round.
        snapshots = try Self.round(store, &state, pages: 3_000, digestLength: 901)
        snapshots += try Self.round(store, &state, pages: 3_000, digestLength: 902)
        #expect(snapshots == 1)
        // Folded at the first save after the replacing lines passed the state: at most one batch beyond.
        let batch = 100 * 1_100
        #expect(
            store.replacedBytes <= max(StateStore.minimumJournalBytes, store.snapshotBytes + store.grownBytes) + batch)
        #expect(try StateStore(stateDirectory: dir.path).load().state == state)
        // A store that loads a journal cannot tell what its lines replaced: they all count.
        let reloaded = StateStore(stateDirectory: dir.path)
        _ = try reloaded.load()
        #expect(reloaded.replacedBytes == reloaded.journalBytes && reloaded.grownBytes == 0)
    }

    @Test("a snapshot reads back the same in the writer's layout and pretty-printed; a page's problem names its line")
    func snapshotLayouts() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var state = Self.sample()
        state.outbox = []
        let cookies = ["a", "b", "c"].map { HistorySamples.cookie($0, lifetime: $0 == "b" ? nil : 3_600) }
        for n in 0..<2_000 {
            state.pages.append(
                PageState(
                    site: "shop", page: PageKey(url: "https://shop.example/p\(n)", variant: "v"),
                    lastDigest: HistoryRecord.digest(of: cookies), lastCookies: cookies, consecutiveFailures: n % 3,
                    nextDue: Self.now.addingTimeInterval(Double(n))))
        }
        state.pages.sort { ($0.site, $0.page) < ($1.site, $1.page) }
        let store = StateStore(stateDirectory: dir.path)
        _ = try store.load()
        try store.snapshot(state)
        #expect(try StateStore(stateDirectory: dir.path).load().state == state)
        let pretty = StrictDocumentFile<WatchState>.encoded(state)
        try dir.write("state.json", pretty)
        #expect(try StateStore(stateDirectory: dir.path).load().state == state)

        var edited = String(decoding: try dir.bytes("state.json"), as: UTF8.self)
        let sameSite = try #require(edited.range(of: #""sameSite" : "lax""#, options: .backwards))
        edited.replaceSubrange(sameSite, with: #""sameSite" : "loose""#)
        let line = edited[..<sameSite.lowerBound].filter { $0 == "\n" }.count + 1
        let page = state.pages.count - 1
        try Self.expectRefused(
            edited, "pages[\(page)].lastCookies[",
            "].sameSite: \"loose\" is not strict, lax, none or default (line \(line)")
    }
}
