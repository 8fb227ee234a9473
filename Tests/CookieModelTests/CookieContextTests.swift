import CookieModel
import Foundation
import Testing

/// The storage rules that depend on how a cookie arrived (RFC 6265bis 5.7 steps 11 and 15).
@Suite("Cookies written by scripts and received cross-site")
struct CookieContextTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    func decide(_ header: String, _ context: CookieContext) throws -> StorageOutcome {
        var jar = CookieJar()
        return jar.receive(
            setCookie: header, from: try CookieURL(parsing: "https://ads.example/p.gif"), at: now, context: context)
    }

    @Test("a script cannot write an HttpOnly cookie; a response can")
    func httpOnlyFromScript() throws {
        let script = CookieContext(fromScript: true, crossSite: false)
        #expect(try decide("a=1; HttpOnly", script).rejection?.reason == .httpOnlyFromScript)
        #expect(try decide("a=1", script).rejection == nil)
        #expect(try decide("a=1; HttpOnly", .topLevel).rejection == nil)
    }

    @Test(
        "cross-site, only SameSite=None cookies are stored",
        arguments: [
            ("a=1; Secure", false), ("a=1; Secure; SameSite=Lax", false), ("a=1; Secure; SameSite=Strict", false),
            ("a=1; Secure; SameSite=None", true),
        ])
    func crossSite(header: String, stored: Bool) throws {
        let outcome = try decide(header, CookieContext(fromScript: false, crossSite: true))
        #expect((outcome.rejection == nil) == stored)
        if !stored { #expect(outcome.rejection?.reason == .sameSiteCrossSite) }
        #expect(try decide(header, .topLevel).rejection == nil)
    }
}
