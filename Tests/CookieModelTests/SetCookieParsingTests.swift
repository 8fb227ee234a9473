import CookieModel
import Foundation
import Testing

@Suite("Set-Cookie parsing (RFC 6265bis 5.6)")
struct SetCookieParsingTests {
    @Test("name and value split at the first '=' and lose surrounding whitespace")
    func nameValue() throws {
        let c = try SetCookie(parsing: " \tsid = a=b=c \t; Path=/")
        #expect(c.name == "sid")
        #expect(c.value == "a=b=c")
    }

    @Test("a header without '=' is a cookie with an empty name")
    func nameless() throws {
        let c = try SetCookie(parsing: "token123; Secure")
        #expect(c.name == "")
        #expect(c.value == "token123")
        #expect(c.secure)
    }

    @Test(
        "control characters other than HTAB drop the whole header",
        arguments: [0x00, 0x01, 0x0A, 0x0D, 0x1F, 0x7F] as [UInt8])
    func controlCharacters(_ byte: UInt8) {
        let bytes = Array("a=b".utf8) + [byte] + Array("c; Path=/".utf8)
        #expect(throws: CookieRejection.self) { try SetCookie(parsingBytes: bytes) }
        do {
            _ = try SetCookie(parsingBytes: bytes)
        } catch {
            #expect(error.reason == .controlCharacter)
        }
    }

    @Test("name and value over 4096 bytes together are dropped; 4096 exactly is kept")
    func sizeLimit() throws {
        #expect(throws: CookieRejection.self) { _ = try SetCookie(parsing: "n=" + String(repeating: "v", count: 4096)) }
        #expect(try SetCookie(parsing: "n=" + String(repeating: "v", count: 4095)).value.utf8.count == 4095)
        #expect(try SetCookie(parsing: "nn=" + String(repeating: "v", count: 4094)).value.utf8.count == 4094)
    }

    @Test("an attribute value over 1024 bytes is ignored with a note")
    func attributeLimit() throws {
        let c = try SetCookie(parsing: "a=b; Path=/" + String(repeating: "p", count: 1024) + "; Secure")
        #expect(c.path == nil)
        #expect(c.secure)
        #expect(c.notes == [.attributeValueTooLong("Path")])
    }

    @Test("attribute names are case-insensitive and the last repeated attribute wins")
    func lastWins() throws {
        let c = try SetCookie(parsing: "a=b; PATH=/one; path=/two; DOMAIN=.Example.COM; samesite=lax; SameSite=Strict")
        #expect(c.path == .absolute("/two"))
        #expect(c.domain == "example.com")
        #expect(c.sameSite == .strict)
    }

    @Test("Max-Age takes precedence over Expires whatever their order")
    func maxAgeWins() throws {
        let c = try SetCookie(parsing: "a=b; Max-Age=60; Expires=Wed, 09 Jun 2021 10:18:14 GMT")
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        #expect(c.requestedLifetime(from: now) == 60)
    }

    @Test(
        "Max-Age must be an optional '-' and digits, else it is ignored",
        arguments: [
            ("10", 10), ("-5", -5), ("0", 0), ("99999999999999999999999", Int64.max), ("1.5", nil), ("+3", nil),
            ("-", nil), ("", nil), ("1e3", nil),
        ]
            as [(String, Int64?)])
    func maxAge(_ text: String, _ expected: Int64?) throws {
        #expect(try SetCookie(parsing: "a=b; Max-Age=\(text)").maxAge == expected)
    }

    @Test("an unreadable Expires is ignored with a note naming it")
    func unreadableExpires() throws {
        let c = try SetCookie(parsing: "a=b; Expires=tomorrow")
        #expect(c.expires == nil)
        #expect(c.notes == [.unreadableExpires("tomorrow")])
    }

    @Test("a Path that does not start with '/' means the default path")
    func relativePath() throws {
        #expect(try SetCookie(parsing: "a=b; Path=docs").path == .defaultPath)
        #expect(try SetCookie(parsing: "a=b; Path=").path == .defaultPath)
    }

    @Test(
        "an empty Domain is ignored; a leading dot is dropped",
        arguments: [("a=b; Domain=", nil), ("a=b; Domain=.example.org", "example.org"), ("a=b; Domain=.", "")]
            as [(String, String?)])
    func domain(_ header: String, _ expected: String?) throws {
        #expect(try SetCookie(parsing: header).domain == expected)
    }

    @Test(
        "SameSite reads Strict, Lax and None in any case; anything else is the default",
        arguments: [
            ("STRICT", SameSite.strict), ("lax", .lax), ("None", .none), ("nonsense", .default), ("", .default),
        ])
    func sameSite(_ text: String, _ expected: SameSite) throws {
        #expect(try SetCookie(parsing: "a=b; Secure; SameSite=\(text)").sameSite == expected)
    }

    @Test("flags: Secure, HttpOnly, Partitioned, with or without values")
    func flags() throws {
        let c = try SetCookie(parsing: "a=b; secure=yes; HTTPONLY; Partitioned")
        #expect(c.secure && c.httpOnly && c.partitioned)
    }

    @Test("bytes that are not UTF-8 never crash the parser")
    func invalidUTF8() throws {
        let c = try SetCookie(parsingBytes: [
            0x61, 0xFF, 0x3D, 0xC3, 0x28, 0x3B, 0x20, 0x50, 0x61, 0x74, 0x68, 0x3D, 0x2F,
        ])
        #expect(c.path == .absolute("/"))
        #expect(c.value.unicodeScalars.contains("\u{FFFD}"))
    }
}
