import CookieModel
import LocalHTTP
import Testing
import Transport

@Suite("Redirects are followed hop by hop, like a browser")
struct RedirectTests {
    @Test("every hop is recorded with all its Set-Cookie headers, in order")
    func hopsRecordEverySetCookie() async throws {
        let site = try TestSite()
        defer { site.finish() }
        site.server.route("/start") { _ in
            .respond(.redirect(to: "/next", setCookies: ["a=1; Path=/", "b=2; Path=/", "a=3; Path=/"]))
        }
        site.server.route("/next") { _ in .respond(.page(setCookies: ["c=4; Max-Age=60"])) }

        let exchange = await site.visit("/start")

        #expect(exchange.failure == nil)
        #expect(exchange.hops.map(\.status) == [302, 200])
        #expect(exchange.hops.map(\.url) == [site.server.url("/start"), site.server.url("/next")])
        #expect(
            exchange.hops[0].setCookieValues.map { String(decoding: $0, as: UTF8.self) } == [
                "a=1; Path=/", "b=2; Path=/", "a=3; Path=/",
            ])
        #expect(exchange.hops[1].setCookieValues.map { String(decoding: $0, as: UTF8.self) } == ["c=4; Max-Age=60"])
        #expect(exchange.hops[0].cookieOutcomes.count == 3)
        #expect(exchange.hops[0].remoteAddress == "127.0.0.1")
        #expect(exchange.hops[0].remotePort == site.server.port)
        #expect(exchange.hops[0].httpVersion == "HTTP/1.1")
        #expect(exchange.hops[0].tlsVersion == nil)
        #expect(exchange.hops[1].timings.total > .zero)
        #expect(exchange.jar.allCookies(at: .now).map(\.name).sorted() == ["a", "b", "c"])
    }

    @Test("credential headers go to hops of their origin only: not to another host, port or scheme")
    func credentialsStayWithTheirOrigin() async throws {
        let site = try TestSite()
        defer { site.finish() }
        let port = site.server.port
        site.server.route("/a") { _ in .respond(.redirect(to: "/b")) }
        site.server.route("/b") { _ in .respond(.redirect(to: "http://127.0.0.2:\(port)/c")) }
        site.server.route("/c") { _ in .respond(.redirect(to: "http://127.0.0.1:\(port)/d")) }
        site.server.route("/d") { _ in .respond(.page()) }
        var request = VisitRequest(url: site.server.url("/a"), headers: [("X-Plain", "p")], limits: testLimits())
        request.credentials = CredentialHeaders(
            origin: Origin(scheme: "http", host: "127.0.0.1", port: port), headers: [("Authorization", "Bearer s3")])

        let exchange = await site.fetcher.visit(request)

        #expect(exchange.failure == nil)
        let sent = site.server.requests.map {
            "\($0.path) \($0.header("Authorization") ?? "-") \($0.header("X-Plain") ?? "-")"
        }
        #expect(sent == ["/a Bearer s3 p", "/b Bearer s3 p", "/c - p", "/d Bearer s3 p"])
    }

    @Test(
        "a transfer after another on the same fetcher (one at a time: the same easy handle) carries none of its options"
    )
    func nothingCarriesOverBetweenTransfers() async throws {
        let site = try TestSite(concurrency: ConcurrencyLimits(maxTransfers: 1, maxTransfersPerHost: 1))
        defer { site.finish() }
        site.server.route("/hook") { _ in .respond(.page()) }
        site.server.route("/page") { _ in .respond(.page()) }
        let delivered = await site.fetcher.deliver(
            Delivery(
                url: site.server.url("/hook"), headers: [("Authorization", "Bearer hook")], body: Array("{}".utf8),
                limits: testLimits()))
        #expect(delivered.status == 200)
        var first = VisitRequest(url: site.server.url("/page"), headers: [("X-First", "1")], limits: testLimits())
        first.credentials = CredentialHeaders(
            origin: Origin(scheme: "http", host: "127.0.0.1", port: site.server.port),
            headers: [("Authorization", "Bearer s3")])
        _ = await site.fetcher.visit(first)
        _ = await site.fetcher.visit(VisitRequest(url: site.server.url("/page"), limits: testLimits()))
        let sent = site.server.requests.map {
            "\($0.method) \($0.path) \($0.header("Authorization") ?? "-") \($0.header("X-First") ?? "-") \($0.body.count)"
        }
        #expect(sent == ["POST /hook Bearer hook - 2", "GET /page Bearer s3 1 0", "GET /page - - 0"])
    }

    @Test("cookies set on one hop are sent on the next, across paths and hosts, by the browser's rules")
    func cookiesCarryAcrossHops() async throws {
        let site = try TestSite()
        defer { site.finish() }
        let port = site.server.port
        site.routeRedirectsToOtherHost()
        site.server.route("/c") { _ in
            .respond(.redirect(to: "http://127.0.0.1:\(port)/d", setCookies: ["other=3; Path=/"]))
        }
        site.server.route("/d") { _ in .respond(.page()) }

        let exchange = await site.visit("/a", cookies: [(name: "consent", value: "yes")])

        #expect(exchange.failure == nil)
        let cookieHeaders = site.server.requests.map { "\($0.path) \($0.header("Cookie") ?? "-")" }
        #expect(
            cookieHeaders == ["/a consent=yes", "/b consent=yes; first=1", "/c -", "/d consent=yes; first=1; second=2"])
        #expect(
            exchange.hops.map(\.sentCookieNames) == [
                ["consent"], ["consent", "first"], [], ["consent", "first", "second"],
            ])
    }

    @Test(
        "a redirect to a non-web or restricted target is refused",
        arguments: [
            ("file:///etc/passwd", FetchFailure.Code.protocol),
            ("ftp://127.0.0.1/file", .protocol),
            ("gopher://127.0.0.1/", .protocol),
            ("http://169.254.169.254/latest/meta-data/", .blockedAddress),
            ("http://10.0.0.1/", .blockedAddress),
            ("http://[::1]:1/", .blockedAddress),
        ])
    func refusedRedirectTargets(target: String, expected: FetchFailure.Code) async throws {
        let site = try TestSite()
        defer { site.finish() }
        site.server.route("/go") { _ in .respond(.redirect(to: target, setCookies: ["seen=1"])) }

        let exchange = await site.visit("/go")

        #expect(exchange.failure?.code == expected)
        #expect(exchange.failure?.hopIndex == 1)
        #expect(exchange.hops.count == 1, "the redirecting hop and its cookie are still recorded")
        #expect(exchange.hops.first?.setCookieValues.count == 1)
    }

    @Test("a redirect loop ends as too-many-redirects after the configured limit")
    func redirectLoop() async throws {
        let site = try TestSite()
        defer { site.finish() }
        site.server.route("/loop") { _ in .respond(.redirect(to: "/loop")) }
        var limits = testLimits()
        limits.maxRedirects = 3

        let exchange = await site.visit("/loop", limits: limits)

        #expect(exchange.failure?.code == .tooManyRedirects)
        #expect(exchange.hops.count == 4)
        #expect(site.server.requests.count == 4)
    }

    @Test("a final 4xx or 5xx is an http-status failure that keeps the hop and its cookies")
    func httpErrorStatus() async throws {
        let site = try TestSite()
        defer { site.finish() }
        site.server.route("/broken") { _ in .respond(Response(status: 500, headers: [HeaderLine("Set-Cookie", "x=1")]))
        }

        let exchange = await site.visit("/broken")

        #expect(exchange.failure?.code == .httpStatus)
        #expect(exchange.hops.first?.status == 500)
        #expect(exchange.hops.first?.setCookieValues.count == 1)
    }
}
