import Audit
import Foundation
import Testing
import Watch

@Suite("History records")
struct HistoryRecordTests {
    typealias S = HistorySamples

    @Test("the first scan of a page variant writes the full list with no drift")
    func firstScan() {
        let record = S.scan([S.cookie("sessionid")], previous: nil)
        guard case .cookies(_, let cookies, let drift) = record.outcome else {
            Issue.record("expected a full list, got \(record.outcome)")
            return
        }
        #expect(cookies == [S.cookie("sessionid")])
        #expect(drift.isEmpty)
    }

    @Test("the same cookies in another order, with new values, give an unchanged line with the same digest")
    func unchanged() {
        let before = [S.cookie("a"), S.cookie("b")]
        let now = [S.cookie("b", fingerprint: "ffffffffffffffff"), S.cookie("a")]
        let record = S.scan(now, previous: before)
        #expect(record.outcome == .unchanged(digest: HistoryRecord.digest(of: before)))
    }

    @Test(
        "drift between two lists names what appeared, disappeared and changed, with before and after",
        arguments: [
            ([S.cookie("a")], [S.cookie("a"), S.cookie("b")], [DriftEvent.Change.appeared]),
            ([S.cookie("a"), S.cookie("b")], [S.cookie("a")], [.disappeared]),
            ([S.cookie("a", secure: true)], [S.cookie("a", secure: false)], [.changed]),
            ([S.cookie("a", lifetime: 60)], [S.cookie("a", lifetime: nil)], [.changed]),
            (
                [S.cookie("a"), S.cookie("b")], [S.cookie("b", secure: false), S.cookie("c")],
                [.disappeared, .changed, .appeared]
            ),
        ])
    func drift(previous: [HistoryCookie], current: [HistoryCookie], expected: [DriftEvent.Change]) {
        let events = DriftEvent.between(previous: previous, current: current)
        #expect(events.map(\.change) == expected)
        for event in events {
            let old = previous.first { $0.identity == event.cookie }?.attributes
            let new = current.first { $0.identity == event.cookie }?.attributes
            #expect(event.before == old && event.after == new)
        }
        guard case .cookies(_, _, let recorded) = S.scan(current, previous: previous).outcome else {
            Issue.record("a changed list must be written in full")
            return
        }
        #expect(recorded == events)
    }

    @Test("every kind of line survives encoding and parsing, with a session cookie's lifetime as null")
    func roundTrip() throws {
        let records = [
            S.scan([S.cookie("a", lifetime: nil)], previous: nil),
            S.scan([S.cookie("a", lifetime: nil)], previous: [S.cookie("a", lifetime: nil)]),
            HistoryRecord.failure(
                site: "example", page: S.page, time: S.day1,
                failure: HistoryFailure(code: "timeout", message: "no answer in 10 s", url: "https://example.org/")),
        ]
        for record in records {
            #expect(try HistoryRecord.parse(record.line()).get() == record)
        }
        #expect(String(decoding: records[0].line(), as: UTF8.self).contains("\"lifetime\":null"))
    }

    @Test(
        "a line that is not a record says what is wrong",
        arguments: [
            ("{\"formatVersion\":1}", "missing key \"prev\""),
            ("not json", "not valid JSON"),
            (
                #"{"formatVersion":2,"prev":"","time":"2026-11-28T00:00:00Z","site":"s","page":"p","variant":"v","type":"unchanged","digest":"d"}"#,
                "formatVersion 2 is newer than this cookiewatch (1)"
            ),
            (
                #"{"formatVersion":1,"prev":"","time":"yesterday","site":"s","page":"p","variant":"v","type":"unchanged","digest":"d"}"#,
                "time: expected an RFC 3339 time, got \"yesterday\""
            ),
        ])
    func badLine(line: String, expected: String) {
        guard case .failure(let problem) = HistoryRecord.parse(Array(line.utf8)) else {
            Issue.record("parsed \(line)")
            return
        }
        #expect(problem.description.contains(expected), "\(problem)")
    }

    @Test(
        "cookies sort by identity (name, domain, path, then host-only) however they come; a digest ignores their order")
    func identityOrder() {
        var generator = SystemRandomNumberGenerator()
        func pick(_ choices: [String]) -> String { choices.randomElement(using: &generator)! }
        for _ in 0..<200 {
            let cookies = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                var cookie = S.cookie(pick(["a", "b", "B", "é", "ab", "a b"]))
                cookie.domain = pick(["example.org", "a.example.org", "Example.org"])
                cookie.path = pick(["/", "/a", "/b/"])
                cookie.hostOnly = Bool.random(using: &generator)
                return cookie
            }
            for a in cookies {
                for b in cookies { #expect(HistoryCookie.identityOrder(a, b) == (a.identity < b.identity)) }
            }
            let sorted = HistoryCookie.sortedByIdentity(cookies)
            #expect(sorted.map(\.identity) == cookies.map(\.identity).sorted())
            #expect(HistoryCookie.sortedByIdentity(sorted) == sorted)
            #expect(HistoryRecord.digest(of: cookies.shuffled(using: &generator)) == HistoryRecord.digest(of: sorted))
        }
    }
}
