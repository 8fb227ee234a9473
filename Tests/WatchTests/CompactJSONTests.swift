import Audit
import CookieModel
import Foundation
import Testing

@testable import Watch

/// The hand-written JSON of history lines, digests and journal lines against JSONEncoder's bytes for
/// the same values: a digest that changed by one byte would make every page read "changed" after an
/// upgrade, and a line written differently would read differently.
@Suite("Compact JSON")
struct CompactJSONTests {
    /// JSONEncoder as the daemon configured it before the hand-written writer (`WatchJSON`).
    static func encoderBytes(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(CivilTime.rfc3339(Int64(date.timeIntervalSince1970.rounded(.down))))
        }
        return try [UInt8](encoder.encode(value))
    }

    /// The digest's canonical form as it was first defined, through JSONEncoder.
    struct Canonical: Encodable {
        var cookie: CookieIdentity
        var attributes: CookieAttributes
    }

    @Test("every escape JSONEncoder makes: quotes, backslashes, each control character, UTF-8 and slashes as is")
    func strings() throws {
        var text = ""
        for scalar in 0..<0x80 { text.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        text += "é\u{2028}\u{7f}😀/\\\""
        var json = CompactJSON()
        json.string(text)
        #expect(json.bytes == (try Self.encoderBytes(text)))
    }

    @Test("integers at their extremes, booleans, null and a long document that outgrows its first storage")
    func scalarsAndGrowth() throws {
        let numbers: [Int64] = [0, -1, 9, 10, -10, 1_000_000, .max, .min, .max - 1, .min + 1]
        var json = CompactJSON(capacity: 1)
        json.beginArray()
        for number in numbers { json.int(number) }
        json.bool(true)
        json.bool(false)
        json.null()
        for index in 0..<2_000 { json.string("element \(index) with \"quotes\"") }
        json.endArray()
        var expected = numbers.map { String($0) } + ["true", "false", "null"]
        expected += (0..<2_000).map { #""element \#($0) with \"quotes\"""# }
        #expect(json.count == json.bytes.count)
        #expect(String(decoding: json.bytes, as: UTF8.self) == "[" + expected.joined(separator: ",") + "]")
    }

    @Test("history lines of every kind, with awkward strings and numbers, are JSONEncoder's bytes")
    func historyLines() throws {
        var random = SeededRandom(seed: 11)
        for round in 0..<400 {
            let record = random.record(round)
            let hand = record.line()
            let reference = try Self.encoderBytes(record)
            #expect(hand == reference, "round \(round): \(String(decoding: hand, as: UTF8.self))")
            #expect((try? HistoryRecord.parse(hand).get()) == record)
        }
        // The value shape is both an attribute and the cookie's own: JSONEncoder keeps the cookie's.
        var cookie = random.cookie()
        cookie.attributes.valueShape = "attribute's"
        cookie.valueShape = "cookie's"
        let record = HistoryRecord(
            time: Date(timeIntervalSince1970: 0), site: "s", page: PageRef(url: "u", variant: "v"),
            outcome: .cookies(digest: "d", cookies: [cookie], drift: []))
        #expect(record.line() == (try Self.encoderBytes(record)))
    }

    @Test("the cookie-list digest hashes JSONEncoder's canonical bytes, so a page's digest survives the upgrade")
    func digest() throws {
        var random = SeededRandom(seed: 12)
        for _ in 0..<200 {
            let cookies = (0..<random.int(0...6)).map { _ in random.cookie() }.sorted { $0.identity < $1.identity }
            let canonical = cookies.map { Canonical(cookie: $0.identity, attributes: $0.attributes) }
            #expect(HistoryRecord.canonicalBytes(cookies) == (try Self.encoderBytes(canonical)))
        }
        // A fixed list's digest: `sha256sum` of the canonical text
        // [{"attributes":{"httpOnly":true,"lifetime":1209600,"partitioned":false,"sameSite":"lax","secure":true,
        // "setBy":"https://example.org/","valueShape":"hex"},"cookie":{"domain":"example.org","hostOnly":true,
        // "name":"sessionid","path":"/"}}] (one line), as JSONEncoder wrote it before this writer existed.
        let fixed = HistoryCookie(
            name: "sessionid", domain: "example.org", hostOnly: true, path: "/",
            attributes: CookieAttributes(
                secure: true, httpOnly: true, sameSite: .lax, partitioned: false, lifetime: 1_209_600,
                setBy: "https://example.org/", valueShape: "hex"),
            valueLength: 32, valueShape: "hex", valueFingerprint: "0123456789abcdef")
        #expect(
            HistoryRecord.digest(of: [fixed]) == "3eaac84bef29a908e53a8906ccc48a4743a95e7e1fad787f2bd40fa15e6dd3b0")
    }

    @Test("a page's journal line is JSONEncoder's bytes, and a snapshot of any layout loads back the same state")
    func stateLines() throws {
        var random = SeededRandom(seed: 13)
        var pages: [PageState] = []
        for index in 0..<100 {
            let cookies = random.bool() ? (0..<random.int(0...4)).map { _ in random.cookie() } : nil
            let page = PageState(
                site: random.text(), page: PageRef(url: "https://example.org/\(index)", variant: random.text()),
                lastDigest: random.bool() ? String(repeating: "ab", count: 32) : nil, lastCookies: cookies,
                consecutiveFailures: random.int(0...9),
                nextDue: random.bool() ? Date(timeIntervalSince1970: Double(random.int(0...2_000_000_000))) : nil)
            #expect(StateChange.page(page).line() == (try Self.encoderBytes(StateChange.page(page))))
            pages.append(page)
        }
        var state = WatchState(pages: pages)
        for events in [nil, [StateStoreTests.event("a", 1), StateStoreTests.event("b\n\"", 2)]] {
            state.webhookPending = events
            state.outbox = events.map { Array($0.prefix(1)) }
            let whole = state.snapshotBytes()
            #expect(try WatchJSON.decoder.decode(WatchState.self, from: Data(whole)) == state)
            // Written in chunks as small as one page: the same bytes, one page variant per line.
            let chunks = Array(state.snapshotChunks(limit: 64))
            #expect(chunks.count > pages.count / 2 && chunks.allSatisfy { !$0.isEmpty })
            #expect(Array(chunks.joined()) == whole)
            #expect(
                whole.split(separator: 0x0A).filter { $0.starts(with: Array(#"{"consecutiveFailures""#.utf8)) }.count
                    == 100)
        }
    }
}

/// A small reproducible generator of awkward values (SplitMix64).
struct SeededRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func bool() -> Bool { next() & 1 == 1 }

    /// Mostly plain, sometimes quotes, backslashes, control characters, slashes or non-ASCII.
    mutating func text() -> String {
        let pieces = [
            "a", "Z", "_", "/", "\"", "\\", "\u{0}", "\u{8}", "\u{c}", "\n", "\t", "\u{1f}", "é", "😀", "%2F", " ",
        ]
        return (0..<int(0...12)).map { _ in pieces[int(0...(bool() ? 2 : pieces.count - 1))] }.joined()
    }

    mutating func attributes() -> CookieAttributes {
        CookieAttributes(
            secure: bool(), httpOnly: bool(), sameSite: SameSite.allCases[int(0...3)], partitioned: bool(),
            lifetime: bool() ? nil : Int64(int(-5...40_000_000)) * (bool() ? 1 : 1_000), setBy: "https://" + text(),
            valueShape: text())
    }

    mutating func cookie() -> HistoryCookie {
        var attributes = attributes()
        let shape = text()
        attributes.valueShape = shape
        return HistoryCookie(
            name: text(), domain: text(), hostOnly: bool(), path: "/" + text(), attributes: attributes,
            valueLength: int(0...4_096), valueShape: shape, valueFingerprint: String(repeating: "f", count: 16))
    }

    mutating func identity() -> CookieIdentity {
        CookieIdentity(name: text(), domain: text(), hostOnly: bool(), path: text())
    }

    mutating func drift() -> DriftEvent {
        switch int(0...2) {
        case 0: DriftEvent(change: .appeared, cookie: identity(), before: nil, after: attributes())
        case 1: DriftEvent(change: .disappeared, cookie: identity(), before: attributes(), after: nil)
        default: DriftEvent(change: .changed, cookie: identity(), before: attributes(), after: attributes())
        }
    }

    mutating func record(_ round: Int) -> HistoryRecord {
        let page = PageRef(url: "https://example.org/" + text(), variant: text())
        let time = Date(timeIntervalSince1970: Double(int(0...4_000_000_000)))
        var record: HistoryRecord
        switch round % 3 {
        case 0:
            record = HistoryRecord(
                time: time, site: text(), page: page,
                outcome: .cookies(
                    digest: text(), cookies: (0..<int(0...5)).map { _ in cookie() },
                    drift: (0..<int(0...3)).map { _ in drift() }))
            if bool() { record.baselineDrift = (0..<int(0...2)).map { _ in drift() } }
        case 1:
            record = HistoryRecord(time: time, site: text(), page: page, outcome: .unchanged(digest: text()))
        default:
            record = HistoryRecord(
                time: time, site: text(), page: page,
                outcome: .failure(ObservedFailure(code: text(), message: text(), url: text())))
        }
        record.prev = String(repeating: "0", count: 64)
        return record
    }
}
