import Foundation
import Testing
import Watch

@Suite("State file")
struct StateFileTests {
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

    @Test("a saved state loads back equal; no temporary file is left; none at all loads as nil")
    func roundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = StateFile(stateDirectory: dir.path)
        #expect(try file.load() == nil)
        try file.save(WatchState())
        try file.save(Self.sample())
        #expect(try file.load() == Self.sample())
        #expect(try dir.names() == ["state.json"])
        #expect(String(decoding: try dir.bytes("state.json"), as: UTF8.self).contains("\"2026-11-28T01:00:00Z\""))
    }

    @Test(
        "a state file that is not exactly a state is refused, naming the file and the key path",
        arguments: [
            (#"{"formatVersion": 1, "pages": [], "alerts": {"alerts": {}}, "extra": 1}"#, "extra: unknown key"),
            (
                #"{"formatVersion": 1, "pages": [{"site": "s", "page": {"url": "u", "variant": "v"}, "consecutiveFailures": "2"}], "alerts": {"alerts": {}}}"#,
                "pages[0].consecutiveFailures: Expected to decode Int"
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
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("state.json", Array(text.utf8))
        let file = StateFile(stateDirectory: dir.path)
        #expect {
            try file.load()
        } throws: { error in
            guard let error = error as? FileError else { return false }
            return error.file == file.path && error.operation == "load the state" && error.reason.contains(expected)
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
        #expect(try StateFile(stateDirectory: dir.path).load()?.pages.first?.lastDigest == nil)
    }
}
