import Audit
import Foundation
import Glibc
import Testing
import Watch

@Suite("the pinned baseline")
struct BaselineTests {
    static let now = Date(timeIntervalSince1970: 1_795_824_000)
    static let home = HistorySamples.page
    static let data = PageRef(url: "https://example.org/explore/", variant: "no-consent")

    static func sample() -> Baseline {
        var baseline = Baseline(pinnedAt: now, pinnedBy: "alice", sites: [:])
        baseline.pin(
            site: "example",
            pages: [
                PinnedPage(page: data, cookies: [HistorySamples.cookie("csrftoken")]),
                PinnedPage(
                    page: home, cookies: [HistorySamples.cookie("sessionid"), HistorySamples.cookie("csrftoken")]),
            ], at: now, by: "alice")
        return baseline
    }

    @Test("a saved baseline loads back equal, mode 0640, no temporary file left; none at all loads as nil")
    func roundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = BaselineFile(stateDirectory: dir.path)
        #expect(file.path == dir.path + "/baseline.json")
        #expect(try file.load() == nil)
        try file.save(Self.sample())
        #expect(try file.load() == Self.sample())
        #expect(try dir.names() == ["baseline.json"])
        var status = stat()
        #expect(stat(file.path, &status) == 0 && status.st_mode & 0o777 == 0o640)
        let text = String(decoding: try dir.bytes("baseline.json"), as: UTF8.self)
        #expect(text.contains(#""pinnedAt" : "2026-11-28T00:00:00Z""#) && text.contains(#""pinnedBy" : "alice""#))
    }

    @Test("pinning one site replaces its pin and keeps the other sites' pins, with their own who and when")
    func pinKeepsOtherSites() {
        var baseline = Self.sample()
        let later = Self.now.addingTimeInterval(86_400)
        baseline.pin(site: "other", pages: [PinnedPage(page: Self.home, cookies: [])], at: later, by: "bob")
        #expect(baseline.pinnedBy == "bob" && baseline.pinnedAt == later)
        #expect(baseline.sites["example"] == Self.sample().sites["example"])
        #expect(baseline.sites["example"]?.pinnedBy == "alice")
        baseline.pin(site: "example", pages: [PinnedPage(page: Self.home, cookies: [])], at: later, by: "bob")
        #expect(baseline.sites["example"]?.pages.map(\.page) == [Self.home])
        #expect(baseline.sites["other"]?.pinnedBy == "bob")
    }

    @Test("drift against the pin: appeared, disappeared and changed by identity; none when equal; nil when not pinned")
    func drift() {
        let baseline = Self.sample()
        let current = [HistorySamples.cookie("csrftoken", secure: false), HistorySamples.cookie("_ga")]
        let events = baseline.drift(site: "example", page: Self.home, current: current)
        #expect(
            events?.map { "\($0.change.rawValue) \($0.cookie.name)" } == [
                "appeared _ga", "changed csrftoken", "disappeared sessionid",
            ])
        #expect(events?[1].before?.secure == true && events?[1].after?.secure == false)
        // A fresh session token is not drift: fingerprints and lengths are left out, as in history.
        let fresh = [HistorySamples.cookie("csrftoken", fingerprint: "ffffffffffffffff")]
        #expect(baseline.drift(site: "example", page: Self.data, current: fresh) == [])
        #expect(
            baseline.drift(site: "example", page: PageRef(url: "https://example.org/", variant: "x"), current: [])
                == nil)
        #expect(baseline.drift(site: "other", page: Self.home, current: []) == nil)
    }

    static let valid = String(decoding: Array(BaselineBytes.encoded(sample())), as: UTF8.self)

    @Test(
        "a baseline file that is not exactly a baseline is refused, naming the file and the key path",
        arguments: [
            (
                valid.replacingOccurrences(of: #""pinnedBy" : "alice","#, with: #""pinnedBy" : "alice", "extra": 1,"#),
                "extra: unknown key"
            ),
            (
                valid.replacingOccurrences(of: #""valueLength" : 32"#, with: #""valueLength" : "32""#),
                "sites.example.pages[0].cookies[0].valueLength: Expected to decode Int"
            ),
            (
                valid.replacingOccurrences(of: #""formatVersion" : 1"#, with: #""formatVersion" : 7"#),
                "formatVersion 7 is newer"
            ),
            (
                valid.replacingOccurrences(of: #""pinnedAt" : "2026-11-28T00:00:00Z""#, with: #""pinnedAt" : "today""#),
                "pinnedAt: expected an RFC 3339 time, got \"today\""
            ),
            (
                valid.replacingOccurrences(of: #""secure" : true"#, with: #""secure" : false"#),
                "sites.example.pages[0].digest: is not the digest of the page's cookies"
            ),
            ("{\"formatVersion\": 1,", "The given data was not valid JSON"),
        ])
    func strict(text: String, expected: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("baseline.json", Array(text.utf8))
        let file = BaselineFile(stateDirectory: dir.path)
        #expect {
            try file.load()
        } throws: { error in
            guard let error = error as? FileError else { return false }
            return error.file == file.path && error.operation == "load the baseline" && error.reason.contains(expected)
                && error.description.hasPrefix(file.path + ": ")
        }
    }
}

/// The bytes `BaselineFile.save` writes, for building bad files from a good one.
enum BaselineBytes {
    static func encoded(_ baseline: Baseline) -> [UInt8] {
        let dir = try? TemporaryDirectory()
        defer { dir?.remove() }
        guard let dir else { return [] }
        try? BaselineFile(stateDirectory: dir.path).save(baseline)
        return (try? dir.bytes("baseline.json")) ?? []
    }
}
