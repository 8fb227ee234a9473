import CookieModel
import Foundation
import Testing

/// Names and paths compare as octets, as in browsers, never by Unicode canonical equivalence.
@Suite("Octet comparisons (fuzzing regressions)")
struct ByteComparisonTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    @Test("a composed and a decomposed é are different paths and different names")
    func unicodeEquivalentIsNotEqual() throws {
        let composed = "/caf\u{E9}"
        let decomposed = "/cafe\u{301}"
        #expect(composed == decomposed)  // Swift's String equality: the trap
        #expect(!CookieMatching.pathMatches(requestPath: decomposed, cookiePath: composed))
        var jar = CookieJar()
        let url = try CookieURL(parsing: "https://example.com/")
        _ = jar.receive(setCookie: "caf\u{E9}=1", from: url, at: now)
        let second = jar.receive(setCookie: "cafe\u{301}=2", from: url, at: now)
        guard case .stored(_, let replaced) = second.decision else { Issue.record("not stored"); return }
        #expect(!replaced)
        #expect(jar.allCookies(at: now).count == 2)
    }

    @Test("a path of \"/\" followed by a combining mark still starts with \"/\" and matches below it")
    func combiningMarkAfterSlash() throws {
        var jar = CookieJar()
        let url = try CookieURL(parsing: "https://example.com/")
        _ = jar.receive(setCookie: "a=b; Path=/\u{7EF}x", from: url, at: now)
        let stored = jar.allCookies(at: now)
        #expect(stored.first?.path.utf8.first == 0x2F)
        #expect(CookieMatching.pathMatches(requestPath: "/\u{7EF}x/y", cookiePath: "/\u{7EF}x"))
    }

    @Test("the fuzzer's crash input: every stored cookie keeps a path starting with the byte \"/\"")
    func fuzzCrashInput() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fuzz-crash-combining-mark-path.bin")
        let data = try Data(contentsOf: file)
        var jar = CookieJar()
        let url = try CookieURL(parsing: "https://www.example.com/a/b")
        var stored = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if case .stored(let cookie, _) = jar.receive(setCookieBytes: line, from: url, at: now).decision {
                stored += 1
                #expect(cookie.path.utf8.first == 0x2F)
            }
        }
        #expect(stored > 0)
    }
}
