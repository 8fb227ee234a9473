import CookieModel
import Testing

@Suite("Origins: scheme, host and port")
struct OriginTests {
    @Test("a URL's origin makes the default port explicit and compares scheme, host and port")
    func origins() throws {
        func origin(_ url: String) throws -> Origin { try CookieURL(parsing: url).origin }
        #expect(try origin("http://Example.org/a?b") == origin("http://example.org:80/c"))
        #expect(try origin("https://example.org/") == origin("https://example.org:443"))
        #expect(try origin("http://example.org/") != origin("https://example.org/"))
        #expect(try origin("http://example.org/") != origin("http://example.org:8080/"))
        #expect(try origin("http://example.org/") != origin("http://sub.example.org/"))
        #expect(try origin("http://user@evil.test@example.org/") == origin("http://example.org/"))
        #expect(try origin("https://example.org:443/x").description == "https://example.org")
        #expect(try origin("http://example.org:8080/x").description == "http://example.org:8080")
        #expect(try origin("http://[::1]:8080/").description == "http://[::1]:8080")
    }
}
