import Browser
import CookieModel
import Foundation
import LocalHTTP
import NetworkAddress
import Testing
import Transport

/// The browser reaches nothing the libcurl engine would refuse. The forbidden target is a server on
/// 127.0.0.2 while only 127.0.0.1/32 is allowed, so nothing leaves the machine even if the protection
/// broke: the test counts the connections that server accepts, and must count zero.
@Suite("The browser engine reaches no forbidden address", .serialized)
struct BrowserSafetyTests {
    @Test(
        "scripts, images, iframes, fetch, XHR, WebSockets, workers and redirects to a forbidden address reach nothing")
    func subresources() async throws {
        let forbidden = try LocalHTTPServer(addresses: ["127.0.0.2"], fallback: { _ in .respond(.page("reached")) })
        defer { forbidden.stop() }
        let p = forbidden.port
        let page = """
            <!doctype html><title>hostile</title>
            <script src="http://127.0.0.2:\(p)/script.js"></script>
            <img src="http://internal.test:\(p)/image.gif">
            <img src="/bounce">
            <iframe src="http://internal.test:\(p)/frame"></iframe>
            <link rel="stylesheet" href="http://127.0.0.2:\(p)/style.css">
            <script>
              fetch("http://internal.test:\(p)/fetch").catch(() => {});
              const x = new XMLHttpRequest(); x.open("GET", "http://127.0.0.2:\(p)/xhr"); x.send();
              try { new WebSocket("ws://127.0.0.2:\(p)/socket"); } catch (e) {}
              try { new Worker(URL.createObjectURL(new Blob(
                ['fetch("http://127.0.0.2:\(p)/worker").catch(() => {})'], {type: "text/javascript"}))); } catch (e) {}
              navigator.sendBeacon("http://internal.test:\(p)/beacon", "x");
            </script>
            """
        let site = try BrowserTestSite(
            routes: [
                "/": { _ in .respond(.page(page, setCookies: ["seen=1; Path=/"])) },
                "/bounce": { _ in .respond(.redirect(to: "http://127.0.0.2:\(p)/redirected")) },
            ], hosts: ["site.test"]
        ) { $0.resolve["internal.test"] = "127.0.0.2" }
        let result = await site.visit("/")
        try await Task.sleep(for: .milliseconds(300))
        await site.finish()

        #expect(forbidden.acceptedConnections == 0, "\(forbidden.requests.map(\.path))")
        #expect(result.failure == nil, "the page itself is allowed: \(String(describing: result.failure))")
        #expect(result.capture.finalCookies.map(\.name) == ["seen"])
        let refused = result.capture.refused
        #expect(refused.contains { $0.hasPrefix("127.0.0.2:\(p): ") })
        #expect(refused.contains { $0.hasPrefix("internal.test:\(p): internal.test resolves to 127.0.0.2") })
        // No path or query in what is recorded.
        #expect(!refused.contains { $0.contains("/") })
    }

    @Test("credential headers reach the page's origin only: not a third-party script, image or redirect")
    func credentialsStayWithTheirOrigin() async throws {
        let secret = "Bearer secret-\(UUID().uuidString)"
        let site = try BrowserTestSite(routes: [:])
        let port = site.server.port
        let page = """
            <!doctype html><title>credentials</title>
            <script src="/own.js"></script>
            <script src="http://pixel.test:\(port)/third.js"></script>
            <img src="/away">
            """
        site.server.route("/") { _ in .respond(.page(page)) }
        for path in ["/own.js", "/third.js", "/landed.gif"] { site.server.route(path) { _ in .respond(.page("")) } }
        site.server.route("/away") { _ in .respond(.redirect(to: "http://pixel.test:\(port)/landed.gif")) }
        let origin = Origin(scheme: "http", host: "site.test", port: port)
        let result = await site.visit(
            "/", credentials: CredentialHeaders(origin: origin, headers: [("Authorization", secret)]))
        await site.finish()

        #expect(result.failure == nil, "\(String(describing: result.failure))")
        let seen = site.server.requests.map {
            "\($0.header("Host") ?? "-") \($0.path) \($0.header("Authorization") ?? "-")"
        }
        let host = "site.test:\(port)"
        let pixel = "pixel.test:\(port)"
        for expected in [
            "\(host) / \(secret)", "\(host) /own.js \(secret)", "\(host) /away \(secret)",
            "\(pixel) /third.js -", "\(pixel) /landed.gif -",
        ] {
            #expect(seen.contains(expected), "\(seen)")
        }
        #expect(!seen.contains { $0.hasPrefix(pixel) && $0.hasSuffix(secret) }, "\(seen)")
    }

    @Test("a credential Chromium will not send fails the request instead of going out without it")
    func unsendableCredential() async throws {
        let site = try BrowserTestSite(routes: ["/": { _ in .respond(.page("<!doctype html><title>t</title>")) }])
        let origin = Origin(scheme: "http", host: "site.test", port: site.server.port)
        let result = await site.visit(
            "/", timeout: .seconds(20),
            credentials: CredentialHeaders(origin: origin, headers: [("Authorization", "Bearer \u{2603}\u{0}x")]))
        await site.finish()
        #expect(result.failure != nil, "the page must not be observed as if it had been sent the credential")
        #expect(
            site.server.requests.allSatisfy { $0.header("Authorization") != nil }, "\(site.server.requests.map(\.path))"
        )
    }

    @Test("a page, or its redirect, on a forbidden address is a blocked-address failure")
    func navigation() async throws {
        let forbidden = try LocalHTTPServer(addresses: ["127.0.0.2"], fallback: { _ in .respond(.page("reached")) })
        defer { forbidden.stop() }
        let site = try BrowserTestSite(
            routes: ["/away": { _ in .respond(.redirect(to: "http://internal.test:\(forbidden.port)/")) }],
            hosts: ["site.test"]
        ) { $0.resolve["internal.test"] = "127.0.0.2" }
        let redirected = await site.visit("/away")
        var limits = FetchLimits()
        limits.addressPolicy = AddressPolicy(allowed: [localhost])
        let direct = await site.engine.visit(
            VisitRequest(url: "http://127.0.0.2:\(forbidden.port)/", limits: limits))
        await site.finish()

        #expect(redirected.failure?.code == .blockedAddress, "\(String(describing: redirected.failure))")
        #expect(direct.failure?.code == .blockedAddress, "\(String(describing: direct.failure))")
        #expect(forbidden.acceptedConnections == 0)
    }
}
