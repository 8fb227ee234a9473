import Foundation
import Testing

@testable import Config

@Suite("Plain page URLs read without URLComponents")
struct PlainHTTPURLTests {
    @Test("plain URLs give their path; others are left to URLComponents")
    func examples() {
        #expect(PlainHTTPURL.path("https://www.example.com/fr/explore/") == "/fr/explore/")
        #expect(PlainHTTPURL.path("http://127.0.0.1:8080/p/1?x=1&y=(2)") == "/p/1")
        #expect(PlainHTTPURL.path("https://example.com") == "")
        #expect(PlainHTTPURL.path("https://example.com?q") == nil, "a query right after the host")
        for other in [
            "https://Example.com/", "https://exa_mple.com/", "https://example.com/a%20b", "https://example.com/#top",
            "https://example.com:0/", "https://example.com:65536/", "https://example.com:080/", "https://a..b/",
            "https://-a.com/", "https://a-.com/", "https://.a/", "https://user@a.com/", "ftp://a.com/",
            "https://a.com/é", "https://a.com/ b", "https://[::1]/", "https:/a.com/", "https://",
        ] {
            #expect(PlainHTTPURL.path(other) == nil, "\(other)")
        }
    }

    @Test("every URL taken as plain is one URLComponents accepts, as http(s) with a host, with the same path")
    func neverLooserThanURLComponents() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "a", "z", "0", "9", "-", ".", "_", "~", "/", "?", "#", "%", "%41", ":", "@", "!", "$", "&", "'", "(", ")",
            "*", "+", ",", ";", "=", "A", "é", " ", "[", "]", "\\", "|", "^", "`", "{", "}", "\"", "<", ">",
        ]
        func random(_ count: Int) -> String {
            (0..<Int.random(in: 0...count, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                .joined()
        }
        var plain = 0
        for _ in 0..<20_000 {
            let host = ["example.com", "a-b.c", "127.0.0.1", "x", random(6)].randomElement(using: &generator)!
            let port = ["", ":8080", ":1", ":65535", ":" + random(3)].randomElement(using: &generator)!
            let scheme = ["http://", "https://"].randomElement(using: &generator)!
            let text = scheme + host + port + random(12)
            guard let path = PlainHTTPURL.path(text) else { continue }
            plain += 1
            let components = URLComponents(string: text)
            #expect(components?.scheme == String(scheme.dropLast(3)), "\(text)")
            #expect(components?.host?.isEmpty == false, "\(text)")
            #expect(components?.path == path, "\(text)")
        }
        #expect(plain > 1_000, "the generator makes plain URLs too")
    }
}
