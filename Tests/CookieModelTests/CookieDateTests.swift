import CookieModel
import Testing

struct CookieDateCase: Decodable, CustomTestStringConvertible, Sendable {
    let input: String
    let expected: String?
    var testDescription: String { input }
}

@Suite("Cookie dates (RFC 6265bis 5.1.1)")
struct CookieDateTests {
    static let cases = (try? SharedVectors.jsonLines("cookie-dates.jsonl", as: CookieDateCase.self)) ?? []

    @Test("the shared vectors hold all 70 cookie-date cases")
    func vectorsArePresent() {
        #expect(Self.cases.count == 70, "expected ../shared/vectors/cookie-dates.jsonl with 70 cases")
    }

    @Test("each Expires value parses to the date browsers read, or fails where they fail", arguments: cases)
    func parses(_ c: CookieDateCase) {
        let parsed = CookieDate.parse(c.input).map(CivilTime.imfFixdate)
        #expect(parsed == c.expected)
    }

    @Test(
        "out-of-range fields fail the whole date",
        arguments: ["Thu, 30 Feb 2012 10:00:00 GMT", "Thu, 01 Jan 1600 10:00:00 GMT", "Thu, 01 Jan 2012 24:00:00 GMT",
            "Thu, 01 Jan 2012 10:60:00 GMT", "Thu, 32 Jan 2012 10:00:00 GMT", "Thu, 01 Foo 2012 10:00:00 GMT", ""])
    func rejects(_ input: String) {
        #expect(CookieDate.parse(input) == nil)
    }

    @Test("two-digit years map 70-99 to 19xx and 00-69 to 20xx")
    func twoDigitYears() {
        #expect(CookieDate.parse("1 Jan 70 00:00:00").map(CivilTime.imfFixdate) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(CookieDate.parse("1 Jan 69 00:00:00").map(CivilTime.imfFixdate) == "Tue, 01 Jan 2069 00:00:00 GMT")
    }
}
