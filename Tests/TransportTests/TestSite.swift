import LocalHTTP
import Transport
import NetworkAddress

/// Limits for tests: loopback allowed, every clock short so a failing case fails fast.
func testLimits(visitTimeout: Duration = .seconds(3)) -> FetchLimits {
    var limits = FetchLimits()
    limits.addressPolicy = AddressPolicy(allowed: [loopback])
    limits.connectTimeout = .seconds(2)
    limits.visitTimeout = visitTimeout
    limits.lowSpeedTime = .seconds(1)
    limits.maxRedirects = 5
    limits.bodyCap = 256 * 1024
    return limits
}

let loopback: IPNetwork = {
    do { return try IPNetwork(parsing: "127.0.0.0/8") } catch { fatalError("127.0.0.0/8 must parse: \(error)") }
}()

/// A server on 127.0.0.1 and 127.0.0.2 (two "hosts", one port) and a fetcher, stopped by `finish`.
struct TestSite {
    let server: LocalHTTPServer
    let fetcher: CurlFetcher

    init(routes: [String: LocalHTTPServer.Handler] = [:], concurrency: ConcurrencyLimits = ConcurrencyLimits()) throws {
        server = try LocalHTTPServer(addresses: ["127.0.0.1", "127.0.0.2"], routes: routes)
        fetcher = try CurlFetcher(concurrency: concurrency)
    }

    func visit(
        _ path: String, host: String = "127.0.0.1", limits: FetchLimits = testLimits(),
        cookies: [(name: String, value: String)] = []
    ) async -> Exchange {
        await fetcher.visit(VisitRequest(url: server.url(path, host: host), cookies: cookies, limits: limits))
    }

    /// `/a` redirects to `/b` setting `first`, `/b` to `/c` on 127.0.0.2 setting `second`: the start of a
    /// redirect chain across paths and hosts; the caller routes `/c`.
    func routeRedirectsToOtherHost() {
        let port = server.port
        server.route("/a") { _ in .respond(.redirect(to: "/b", setCookies: ["first=1; Path=/"])) }
        server.route("/b") { _ in
            .respond(.redirect(to: "http://127.0.0.2:\(port)/c", setCookies: ["second=2; Path=/"]))
        }
    }

    func finish() {
        fetcher.shutdown()
        server.stop()
    }
}
