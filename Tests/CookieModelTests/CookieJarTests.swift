import CookieModel
import Foundation
import Testing

/// The storage model (RFC 6265bis 5.7) and retrieval (5.8.3) against the system's libpsl data.
@Suite("Cookie storage and retrieval")
struct CookieJarTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    func url(_ text: String) throws -> CookieURL { try CookieURL(parsing: text) }

    func receive(_ headers: [String], from: String, into jar: inout CookieJar) throws -> [StorageOutcome] {
        let from = try url(from)
        return headers.map { jar.receive(setCookie: $0, from: from, at: now) }
    }

    func rejection(_ header: String, from: String) throws -> CookieRejection? {
        var jar = CookieJar()
        return try receive([header], from: from, into: &jar)[0].rejection
    }

    @Test(
        "headers browsers drop are rejected with a stable reason",
        arguments: [
            ("a=b; Domain=com", "https://www.example.com/", CookieRejection.Reason.publicSuffixDomain),
            ("a=b; Domain=co.uk", "https://shop.example.co.uk/", .publicSuffixDomain),
            ("a=b; Domain=github.io", "https://me.github.io/", .publicSuffixDomain),
            ("a=b; Domain=other.org", "https://www.example.com/", .domainMismatch),
            ("a=b; Domain=ample.com", "https://www.example.com/", .domainMismatch),
            ("a=b; Domain=www.example.com", "https://example.com/", .domainMismatch),
            ("a=b; Domain=exämple.com", "https://www.example.com/", .nonASCIIDomain),
            ("a=b; Secure", "http://www.example.com/", .secureFromInsecureOrigin),
            ("a=b; SameSite=None", "https://www.example.com/", .sameSiteNoneWithoutSecure),
            ("a=b; Partitioned", "https://www.example.com/", .partitionedWithoutSecure),
            ("__Secure-a=b", "https://www.example.com/", .securePrefix),
            ("__secure-a=b", "https://www.example.com/", .securePrefix),
            ("__Host-a=b; Secure; Path=/; Domain=www.example.com", "https://www.example.com/", .hostPrefix),
            ("__Host-a=b; Secure", "https://www.example.com/", .hostPrefix),
            ("__Host-a=b; Secure; Path=/docs", "https://www.example.com/", .hostPrefix),
            ("__HOST-a=b; Path=/", "https://www.example.com/", .hostPrefix),
            ("=__Host-x", "https://www.example.com/", .prefixInNamelessCookie),
            ("=", "https://www.example.com/", .emptyNameAndValue),
            ("a=b\u{7}", "https://www.example.com/", .controlCharacter),
        ])
    func rejects(_ header: String, _ from: String, _ reason: CookieRejection.Reason) throws {
        #expect(try rejection(header, from: from)?.reason == reason)
    }

    @Test("the public-suffix rejection names the domain, and the mismatch names both hosts")
    func messages() throws {
        #expect(
            try rejection("a=b; Domain=com", from: "https://www.example.com/")?.message
                == "Domain=com is a public suffix; browsers refuse cookies for it")
        #expect(
            try rejection("a=b; Domain=other.org", from: "https://www.example.com/")?.message
                == "Domain=other.org does not domain-match the request host www.example.com")
    }

    @Test("prefixed cookies that meet their rules are kept")
    func prefixesKept() throws {
        #expect(try rejection("__Host-id=1; Secure; Path=/", from: "https://www.example.com/x/y") == nil)
        #expect(try rejection("__Secure-id=1; Secure; Domain=example.com", from: "https://www.example.com/") == nil)
        #expect(try rejection("id=1; Secure; SameSite=None; Partitioned", from: "https://www.example.com/") == nil)
    }

    @Test("a Domain equal to a host that is itself a public suffix gives a host-only cookie")
    func publicSuffixHost() throws {
        var jar = CookieJar()
        let outcome = try receive(["a=b; Domain=github.io"], from: "https://github.io/", into: &jar)[0]
        guard case .stored(let cookie, _) = outcome.decision else { Issue.record("not stored: \(outcome)"); return }
        #expect(cookie.hostOnly)
        #expect(cookie.domain == "github.io")
    }

    @Test("host-only cookies go to the host alone; domain cookies to subdomains too")
    func hostOnlyVersusDomain() throws {
        var jar = CookieJar()
        _ = try receive(["host=1", "dom=2; Domain=example.com"], from: "https://www.example.com/", into: &jar)
        #expect(jar.cookieHeader(for: try url("https://www.example.com/"), at: now) == "host=1; dom=2")
        #expect(jar.cookieHeader(for: try url("https://a.www.example.com/"), at: now) == "dom=2")
        #expect(jar.cookieHeader(for: try url("https://example.com/"), at: now) == "dom=2")
        #expect(jar.cookieHeader(for: try url("https://notexample.com/"), at: now) == nil)
    }

    @Test("the default path is the request path's directory")
    func defaultPath() throws {
        var jar = CookieJar()
        _ = try receive(["a=1"], from: "https://example.com/docs/page.html?q=1", into: &jar)
        #expect(jar.cookieHeader(for: try url("https://example.com/docs/other"), at: now) == "a=1")
        #expect(jar.cookieHeader(for: try url("https://example.com/docsx"), at: now) == nil)
        #expect(jar.cookieHeader(for: try url("https://example.com/"), at: now) == nil)
    }

    @Test("Secure cookies are sent only to secure origins (https, localhost, loopback)")
    func secureOnly() throws {
        var jar = CookieJar()
        _ = try receive(
            ["s=1; Secure; Domain=example.com", "p=2; Domain=example.com"], from: "https://example.com/", into: &jar)
        #expect(jar.cookieHeader(for: try url("http://example.com/"), at: now) == "p=2")
        #expect(jar.cookieHeader(for: try url("https://example.com/"), at: now) == "s=1; p=2")
        var local = CookieJar()
        _ = try receive(["s=1; Secure"], from: "http://127.0.0.1:8080/", into: &local)
        #expect(local.cookieHeader(for: try url("http://127.0.0.1:8080/"), at: now) == "s=1")
    }

    @Test("a non-Secure cookie from an insecure origin cannot shadow a Secure one")
    func noShadowing() throws {
        var jar = CookieJar()
        _ = try receive(["id=secure; Secure; Domain=example.com"], from: "https://www.example.com/", into: &jar)
        let outcome = try receive(["id=plain"], from: "http://www.example.com/", into: &jar)[0]
        #expect(outcome.rejection?.reason == .shadowsSecureCookie)
        #expect(jar.cookieHeader(for: try url("https://www.example.com/"), at: now) == "id=secure")
    }

    @Test("replacing a cookie keeps its creation time and its place in the header order")
    func replacementKeepsCreation() throws {
        var jar = CookieJar()
        let from = try url("https://example.com/")
        _ = jar.receive(setCookie: "a=1", from: from, at: now)
        _ = jar.receive(setCookie: "b=2", from: from, at: now.addingTimeInterval(10))
        let outcome = jar.receive(setCookie: "a=3", from: from, at: now.addingTimeInterval(20))
        guard case .stored(let cookie, let replaced) = outcome.decision else { Issue.record("not stored"); return }
        #expect(replaced)
        #expect(cookie.creation == now)
        #expect(jar.cookieHeader(for: from, at: now.addingTimeInterval(30)) == "a=3; b=2")
    }

    @Test("Max-Age<=0 or a past Expires deletes the cookie")
    func deletion() throws {
        var jar = CookieJar()
        _ = try receive(["a=1", "b=2", "c=3"], from: "https://example.com/", into: &jar)
        let outcomes = try receive(
            ["a=x; Max-Age=0", "b=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "z=x; Max-Age=-1"],
            from: "https://example.com/", into: &jar)
        #expect(
            outcomes.map(\.decision) == [
                .deleted(.init(name: "a", domain: "example.com", hostOnly: true, path: "/"), existed: true),
                .deleted(.init(name: "b", domain: "example.com", hostOnly: true, path: "/"), existed: true),
                .deleted(.init(name: "z", domain: "example.com", hostOnly: true, path: "/"), existed: false),
            ])
        #expect(jar.cookieHeader(for: try url("https://example.com/"), at: now) == "c=3")
    }

    @Test("lifetimes are capped at 400 days and cookies expire on the clock")
    func expiry() throws {
        var jar = CookieJar()
        let outcomes = try receive(
            ["long=1; Max-Age=63072000", "short=2; Max-Age=60"], from: "https://example.com/", into: &jar)
        guard case .stored(let long, _) = outcomes[0].decision else { Issue.record("not stored"); return }
        #expect(long.expires == now.addingTimeInterval(400 * 86_400))
        #expect(outcomes[0].setCookie?.requestedLifetime(from: now) == 63_072_000)
        #expect(jar.cookieHeader(for: try url("https://example.com/"), at: now.addingTimeInterval(61)) == "long=1")
    }

    @Test("longer paths come first, then earlier creation")
    func headerOrder() throws {
        var jar = CookieJar()
        let from = try url("https://example.com/a/b/c")
        _ = jar.receive(setCookie: "root=1; Path=/", from: from, at: now)
        _ = jar.receive(setCookie: "deep=2; Path=/a/b", from: from, at: now)
        _ = jar.receive(setCookie: "root2=3; Path=/", from: from, at: now)
        #expect(jar.cookieHeader(for: from, at: now) == "deep=2; root=1; root2=3")
    }

    @Test("memory stays bounded: at most 180 cookies per domain, the oldest evicted first")
    func perDomainLimit() throws {
        var jar = CookieJar()
        let headers = (0..<5000).map { "c\($0)=v" }
        _ = try receive(headers, from: "https://example.com/", into: &jar)
        let kept = jar.allCookies(at: now)
        #expect(kept.count == CookieJar.maxCookiesPerDomain)
        #expect(kept.first?.name == "c4820")
    }
}

@Suite("Request URLs")
struct CookieURLTests {
    @Test("hosts are lowercased and paths default to /")
    func canonical() throws {
        let u = try CookieURL(parsing: "HTTPS://User:pw@WWW.Example.COM:8443?x=1")
        #expect(u.scheme == "https" && u.host == "www.example.com" && u.port == 8443 && u.path == "/")
    }

    @Test(
        "URLs that cookies cannot use are errors that say why",
        arguments: [
            ("ftp://example.com/", "scheme \"ftp\" is not http or https"),
            ("example.com", "it has no scheme (expected http:// or https://)"),
            ("https://", "it has no host"),
            ("https://exa mple.com/", "the host contains \" \", which is not allowed in a host name"),
            ("http://example.com:99999/", "the port is not a number from 0 to 65535"),
        ])
    func errors(_ text: String, _ reason: String) {
        #expect(throws: CookieURLError(url: text, reason: reason)) { try CookieURL(parsing: text) }
    }

    @Test("IP addresses are never domain-matched by suffix")
    func ipAddresses() throws {
        #expect(try CookieURL(parsing: "http://10.0.0.1/").isIPAddress)
        #expect(try CookieURL(parsing: "http://[::1]:80/").host == "::1")
        #expect(!CookieMatching.domainMatches(host: "10.0.0.1", isIPAddress: true, domain: "0.0.1"))
    }

    @Test("a URL is shown as scheme, host (IPv6 in brackets), port when given, and path")
    func urlDescription() throws {
        #expect(try CookieURL(parsing: "https://www.example.com/a/b").description == "https://www.example.com/a/b")
        #expect(try CookieURL(parsing: "http://[::1]:8080/x").description == "http://[::1]:8080/x")
        #expect(try CookieURL(parsing: "http://[2001:db8::1]/").description == "http://[2001:db8::1]/")
        #expect(try CookieURL(parsing: "http://127.0.0.1:57923/p/0").description == "http://127.0.0.1:57923/p/0")
    }

    /// WHATWG URL: a host whose last non-empty label is all digits is an IPv4 address.
    @Test(
        "which hosts are IP addresses",
        arguments: [
            ("http://192.0.2.1/", true), ("http://192.0.2.1./", true), ("http://10/", true),
            ("http://[2001:db8::1]/", true), ("http://1a.2/", true), ("http://example.com/", false),
            ("http://a.b.c1/", false), ("http://2.1a/", false), ("http://example.com./", false),
        ])
    func ipAddressHosts(url: String, isIP: Bool) throws {
        #expect(try CookieURL(parsing: url).isIPAddress == isIP)
    }

    @Test("127.0.0.1 over http is a secure context; another IPv4 address is not")
    func loopbackIsTrustworthy() throws {
        #expect(try CookieURL(parsing: "http://127.0.0.1:8080/").isSecure)
        #expect(try !CookieURL(parsing: "http://192.0.2.1/").isSecure)
    }
}
