import LocalHTTP
import NetworkAddress
import Testing
import Transport

@Suite("resolve maps a host name to an address for libcurl, under the address policy")
struct ResolveTests {
    @Test("a mapped name reaches the server on its own name; the address policy still judges the address")
    func mappedName() async throws {
        let site = try TestSite(routes: ["/": { _ in .respond(.page(setCookies: ["a=1; Path=/"])) }])
        defer { site.finish() }
        var limits = testLimits()
        limits.resolve = ["staging.invalid": "127.0.0.1"]
        let url = "http://staging.invalid:\(site.server.port)/"
        let mapped = await site.fetcher.visit(VisitRequest(url: url, limits: limits))
        #expect(mapped.failure == nil, "\(String(describing: mapped.failure))")
        #expect(mapped.hops.first?.remoteAddress == "127.0.0.1")
        #expect(site.server.requests.first?.header("Host") == "staging.invalid:\(site.server.port)")

        // Without the mapping the name does not resolve at all (.invalid). A fresh fetcher: libcurl keeps
        // resolved names in its DNS cache, and `resolve` is configuration-wide, so one fetcher never needs
        // to forget one.
        let unmapped = try CurlFetcher()
        defer { unmapped.shutdown() }
        #expect(await unmapped.visit(VisitRequest(url: url, limits: testLimits())).failure?.code == .dns)
        // With the policy closed, the mapped address is refused like any other.
        limits.addressPolicy = AddressPolicy()
        #expect(await site.fetcher.visit(VisitRequest(url: url, limits: limits)).failure?.code == .blockedAddress)
    }
}
