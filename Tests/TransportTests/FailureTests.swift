import CookieModel
import Foundation
import LocalHTTP
import Testing
import Transport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Every way a visit can fail is a value with a stable code")
struct FailureTests {
    @Test("a refused connection is a connect failure")
    func refusedConnection() async throws {
        let site = try TestSite()
        defer { site.finish() }
        let port = try closedPort()

        let exchange = await site.fetcher.visit(VisitRequest(url: "http://127.0.0.1:\(port)/", limits: testLimits()))

        #expect(exchange.failure?.code == .connect)
        #expect(exchange.failure?.curlCode == 7)
        #expect(exchange.hops.isEmpty)
    }

    @Test("an unresolvable host is a dns failure")
    func unresolvableHost() async throws {
        let site = try TestSite()
        defer { site.finish() }

        let exchange = await site.fetcher.visit(VisitRequest(url: "http://nonexistent.invalid/", limits: testLimits()))

        #expect(exchange.failure?.code == .dns)
        #expect(exchange.failure?.url == "http://nonexistent.invalid/")
    }

    @Test("a loopback site is a blocked-address failure unless its network is allowed")
    func loopbackBlockedByDefault() async throws {
        let site = try TestSite(routes: ["/": { _ in .respond(.page()) }])
        defer { site.finish() }
        var limits = testLimits()
        limits.addressPolicy = AddressPolicy()

        let exchange = await site.visit("/", limits: limits)

        #expect(exchange.failure?.code == .blockedAddress)
        #expect(exchange.failure?.message.contains("127.0.0.1") == true)
        #expect(site.server.requests.isEmpty, "the refused address never got a connection")
    }

    @Test(
        "a page URL that is not http or https is a protocol failure",
        arguments: ["file:///etc/passwd", "ftp://example.org/", "not a url"])
    func nonWebPageURL(url: String) async throws {
        let site = try TestSite()
        defer { site.finish() }

        let exchange = await site.fetcher.visit(VisitRequest(url: url, limits: testLimits()))

        #expect(exchange.failure?.code == .protocol)
        #expect(exchange.failure?.hopIndex == 0)
    }

    @Test(
        "a peer that never answers, or sends one byte every ten seconds, times out within the limit",
        arguments: ["hang", "trickle"])
    func slowPeersTimeOut(behaviour: String) async throws {
        let site = try TestSite()
        defer { site.finish() }
        site.server.route("/slow") { _ in
            behaviour == "hang" ? .hang : .trickle(.page(), interval: .seconds(10))
        }
        let started = ContinuousClock.now

        let exchange = await site.visit("/slow", limits: testLimits(visitTimeout: .seconds(2)))

        #expect(exchange.failure?.code == .timeout)
        // libcurl notices the limit on its next pass over the multi handle: late by a scheduling slice.
        #expect(exchange.transferTime < .milliseconds(3000))
        // The wall clock only guards against a visit that never ends: on 2 cores, tests that wait on
        // processes synchronously can hold the cooperative pool, delaying this task's resumption (11 s
        // seen). The limit itself is checked on libcurl's own transfer time above.
        #expect(ContinuousClock.now - started < .seconds(25))
    }

    @Test("a timeout names the limit that fired: the total timeout, or the low-speed limit")
    func timeoutNamesItsLimit() async throws {
        let site = try TestSite()
        defer { site.finish() }
        site.server.route("/hang") { _ in .hang }
        site.server.route("/trickle") { _ in .trickle(.page(), interval: .seconds(5)) }

        var total = testLimits(visitTimeout: .seconds(1))
        total.lowSpeedTime = .seconds(30)
        let hung = await site.visit("/hang", limits: total)
        #expect(hung.failure?.code == .timeout)
        #expect(
            hung.failure?.message == "the page took longer than the total timeout of 1s (limits.totalTimeout)",
            "\(String(describing: hung.failure))")

        var slow = testLimits(visitTimeout: .seconds(20))
        slow.lowSpeedTime = .seconds(1)
        let trickled = await site.visit("/trickle", limits: slow)
        #expect(trickled.failure?.code == .timeout)
        #expect(
            trickled.failure?.message == "the server sent less than 1 byte/s for 1s (the low-speed limit)",
            "\(String(describing: trickled.failure))")
    }

    @Test("a connection kept open by a visit that allowed loopback is not reused by one that does not")
    func reuseDoesNotBypassThePolicy() async throws {
        let site = try TestSite(routes: ["/": { _ in .respond(.page()) }])
        defer { site.finish() }
        var strict = testLimits()
        strict.addressPolicy = AddressPolicy()

        let allowed = await site.visit("/")
        let refused = await site.visit("/", limits: strict)

        #expect(allowed.failure == nil)
        #expect(refused.failure?.code == .blockedAddress)
        #expect(refused.hops.isEmpty)
        // The request did go out on the cached connection (no new socket to check); its answer is dropped.
        #expect(site.server.acceptedConnections == 1)
    }

    @Test(
        "a request header with a line break (any Unicode newline) is refused before anything is sent",
        arguments: [
            "a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u{0B}b", "a\u{0C}b", "a\u{85}b", "a\u{2028}b", "a\u{2029}b",
        ])
    func headerInjection(value: String) async throws {
        let site = try TestSite(routes: ["/": { _ in .respond(.page()) }])
        defer { site.finish() }
        let inValue = VisitRequest(url: site.server.url("/"), headers: [("X-Variant", value)], limits: testLimits())
        let inName = VisitRequest(url: site.server.url("/"), headers: [(value, "v")], limits: testLimits())
        var inCredential = VisitRequest(url: site.server.url("/"), limits: testLimits())
        inCredential.credentials = CredentialHeaders(
            origin: Origin(scheme: "http", host: "127.0.0.1", port: site.server.port),
            headers: [("Authorization", value)])

        for request in [inValue, inName, inCredential] {
            let exchange = await site.fetcher.visit(request)
            #expect(exchange.failure?.code == .protocol)
        }
        #expect(site.server.requests.isEmpty)
        let plain = await site.fetcher.visit(
            VisitRequest(url: site.server.url("/"), headers: [("X-Variant", "a\tb é")], limits: testLimits()))
        #expect(plain.failure == nil, "a tab and UTF-8 are not line breaks")
    }

    @Test("a peer that resets the connection is a network failure")
    func resetPeer() async throws {
        let site = try TestSite(routes: ["/reset": { _ in .reset }])
        defer { site.finish() }

        let exchange = await site.visit("/reset")

        #expect(exchange.failure?.code == .network)
    }

    @Test("an endless body stops at the body cap as body-too-large, headers and cookies kept")
    func endlessBody() async throws {
        let site = try TestSite(routes: ["/endless": { _ in .endless(.page(setCookies: ["big=1"])) }])
        defer { site.finish() }

        let exchange = await site.visit("/endless")

        #expect(exchange.failure?.code == .bodyTooLarge)
        #expect(exchange.hops.first?.setCookieValues.count == 1)
        #expect((exchange.hops.first?.bodyBytes ?? 0) <= testLimits().bodyCap + 64 * 1024)
    }

    @Test("an announced body larger than the cap fails before reading it")
    func announcedLargeBody() async throws {
        let site = try TestSite(routes: [
            "/large": { _ in
                .respond(Response(headers: [HeaderLine("Content-Length", "999999999")], body: "short"))
            }
        ])
        defer { site.finish() }

        let exchange = await site.visit("/large")

        #expect(exchange.failure?.code == .bodyTooLarge)
    }
}

/// A port on 127.0.0.1 that nothing listens on: bound, read back, then closed.
func closedPort() throws -> Int {
    let server = try LocalHTTPServer()
    let port = server.port
    server.stop()
    return port
}
