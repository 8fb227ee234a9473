import Testing
import Transport

@Suite("ScriptedFetcher follows the same rules without sockets")
struct ScriptedFetcherTests {
    static func header(_ name: String, _ value: String) -> HeaderField {
        HeaderField(name: name, value: Array(value.utf8))
    }

    @Test("redirects are followed and cookies carried across hops, as with CurlFetcher")
    func redirectsAndCookies() async {
        let fetcher = ScriptedFetcher(answers: [
            "https://example.org/": .response(
                status: 301,
                headers: [Self.header("Location", "/fr/"), Self.header("Set-Cookie", "django_language=fr; Path=/")]),
            "https://example.org/fr/": .response(
                status: 200, headers: [Self.header("Set-Cookie", "csrftoken=abc; Secure")]),
        ])

        let exchange = await fetcher.visit(VisitRequest(url: "https://example.org/"))

        #expect(exchange.failure == nil)
        #expect(exchange.hops.map(\.url) == ["https://example.org/", "https://example.org/fr/"])
        #expect(exchange.hops[1].sentCookieNames == ["django_language"])
        #expect(exchange.jar.allCookies(at: .now).map(\.name) == ["django_language", "csrftoken"])
    }

    @Test(
        "scripted failures and unknown URLs are failures with their codes",
        arguments: [
            ("https://example.org/slow", FetchFailure.Code.timeout), ("https://unknown.example/", .dns),
        ])
    func failures(url: String, code: FetchFailure.Code) async {
        let fetcher = ScriptedFetcher(answers: ["https://example.org/slow": .failure(.timeout)])

        let exchange = await fetcher.visit(VisitRequest(url: url))

        #expect(exchange.failure?.code == code)
        #expect(exchange.hops.isEmpty)
    }

    @Test(
        "Location values resolve like a browser's for the simple forms",
        arguments: [
            ("http://a.test/x/y", "z", "http://a.test/x/z"), ("http://a.test/x/y", "/z", "http://a.test/z"),
            ("http://a.test", "z", "http://a.test/z"), ("http://a.test/x", "https://b.test/", "https://b.test/"),
        ])
    func locations(base: String, location: String, expected: String) async {
        let fetcher = ScriptedFetcher(answers: [
            base: .response(status: 302, headers: [Self.header("Location", location)]),
            expected: .response(status: 200, headers: []),
        ])

        let exchange = await fetcher.visit(VisitRequest(url: base))

        #expect(exchange.hops.last?.url == expected)
    }
}
