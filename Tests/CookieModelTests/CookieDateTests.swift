import CookieModel
import Foundation
import Testing

struct CookieDateCase: Decodable, CustomTestStringConvertible, Sendable {
    let input: String
    let expected: String?
    var testDescription: String { input }
}

@Suite("Cookie dates (RFC 6265bis 5.1.1)")
struct CookieDateTests {
    static let cases = (try? SharedVectors.jsonLines("cookie-dates.jsonl", as: CookieDateCase.self)) ?? []

    @Test("the vectors hold all 70 cookie-date cases")
    func vectorsArePresent() {
        #expect(Self.cases.count == 70, "expected vectors/cookie-dates.jsonl with 70 cases")
    }

    @Test("each Expires value parses to the date browsers read, or fails where they fail", arguments: cases)
    func parses(_ c: CookieDateCase) {
        let parsed = CookieDate.parse(c.input).map(CivilTime.imfFixdate)
        #expect(parsed == c.expected)
    }

    @Test(
        "out-of-range fields fail the whole date",
        arguments: [
            "Thu, 30 Feb 2012 10:00:00 GMT", "Thu, 01 Jan 1600 10:00:00 GMT", "Thu, 01 Jan 2012 24:00:00 GMT",
            "Thu, 01 Jan 2012 10:60:00 GMT", "Thu, 32 Jan 2012 10:00:00 GMT", "Thu, 01 Foo 2012 10:00:00 GMT", "",
        ])
    func rejects(_ input: String) {
        #expect(CookieDate.parse(input) == nil)
    }

    @Test("two-digit years map 70-99 to 19xx and 00-69 to 20xx")
    func twoDigitYears() {
        #expect(CookieDate.parse("1 Jan 70 00:00:00").map(CivilTime.imfFixdate) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(CookieDate.parse("1 Jan 69 00:00:00").map(CivilTime.imfFixdate) == "Tue, 01 Jan 2069 00:00:00 GMT")
    }

    @Test("the IMF-fixdate fast path agrees with the general algorithm, dashes and odd weekdays included")
    func fixdateFastPath() {
        var seconds: Int64 = -11_644_473_600  // 1601-01-01
        while seconds < 253_402_300_799 {  // 9999-12-31
            let text = CivilTime.imfFixdate(seconds)
            #expect(CookieDate.parse(text) == seconds)
            let dashed = String(text.prefix(7)) + "-" + text.dropFirst(8).prefix(3) + "-" + text.dropFirst(12)
            #expect(CookieDate.parse(dashed) == seconds, "\(dashed)")
            seconds += 7_776_001 * 13 + 3_607
        }
        // A weekday slot holding a month name: the algorithm takes the first month token.
        #expect(
            CookieDate.parse("Dec, 06 Nov 1994 08:49:37 GMT").map(CivilTime.imfFixdate)
                == "Tue, 06 Dec 1994 08:49:37 GMT")
        #expect(CookieDate.parse("Sun, 31 Nov 1994 08:49:37 GMT") == nil)
        #expect(CookieDate.parse("Sun, 06 Nov 1600 08:49:37 GMT") == nil)
    }

    @Test("RFC 3339 text of Unix seconds: known times, years 1 and 9999, and Foundation's formatter agrees")
    func rfc3339() {
        #expect(CivilTime.rfc3339(0) == "1970-01-01T00:00:00Z")
        #expect(CivilTime.rfc3339(784_111_777) == "1994-11-06T08:49:37Z")
        #expect(CivilTime.rfc3339(-62_135_596_800) == "0001-01-01T00:00:00Z")
        #expect(CivilTime.rfc3339(253_402_300_799) == "9999-12-31T23:59:59Z")
        #expect(CivilTime.rfc3339(253_402_300_800) == "10000-01-01T00:00:00Z")
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: -2_000_000_000...8_000_000_000, using: &generator)
            let text = CivilTime.rfc3339(seconds)
            #expect(text == formatter.string(from: Date(timeIntervalSince1970: Double(seconds))))
            #expect(CivilTime.parseRFC3339(text) == seconds)
            var bytes = Array("x".utf8)
            CivilTime.appendRFC3339(seconds, to: &bytes)
            #expect(bytes == Array(("x" + text).utf8))
        }
    }
}
