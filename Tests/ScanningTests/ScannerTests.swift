import LocalHTTP
import Audit
import Charter
import Config
import CookieModel
import Foundation
import Scanning
import Synchronization
import Testing
import Transport

/// An in-memory `PageFetcher`: canned responses per URL, run through a real cookie jar, and a count of
/// how many visits were in flight at once.
final class FakeFetcher: PageFetcher {
    let responses: [String: [(status: Int, setCookie: [String])]]
    private let state = Mutex((inFlight: 0, maxInFlight: 0, requests: [VisitRequest]()))

    init(_ responses: [String: [(status: Int, setCookie: [String])]]) { self.responses = responses }

    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var requests: [VisitRequest] { state.withLock { $0.requests } }

    func visit(_ request: VisitRequest) async -> Exchange {
        state.withLock {
            $0.inFlight += 1
            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
            $0.requests.append(request)
        }
        for _ in 0..<10 { await Task.yield() }
        defer { state.withLock { $0.inFlight -= 1 } }
        guard let hops = responses[request.url], let url = try? CookieURL(parsing: request.url) else {
            return Exchange(
                request: request,
                failure: FetchFailure(code: .dns, message: "no such host", hopIndex: 0, url: request.url))
        }
        var exchange = Exchange(request: request)
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        for (index, canned) in hops.enumerated() {
            let outcomes = canned.setCookie.map { exchange.jar.receive(setCookie: $0, from: url, at: now) }
            exchange.hops.append(
                Hop(index: index, url: request.url, status: canned.status, date: now, cookieOutcomes: outcomes))
        }
        return exchange
    }
}

@Suite("Scanner over an in-memory fetcher")
struct ScannerTests {
    static let config = """
        {"sites": [{"name": "shop", "charters": ["c.json"],
          "variants": [{"name": "no-consent", "consent": false, "acceptLanguage": "fr"},
                       {"name": "accepted", "consent": true, "cookies": {"consent": "yes"}, "userAgent": "UA/1"}],
          "pages": [{"url": "https://shop.example.com/"}, {"url": "https://shop.example.com/cart/"},
                    {"url": "https://shop.example.com/gone/"}]}],
         "limits": {"concurrency": 2}}
        """
    static let charter = """
        {"name": "c", "cookies": [{"name": "sid", "category": "necessary", "duration": "session"},
                                  {"name": "_stats", "category": "statistics", "duration": "13 months"}]}
        """

    func configuration() throws -> Configuration {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-scanner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Self.config.utf8).write(to: directory.appendingPathComponent("config.json"))
        try Data(Self.charter.utf8).write(to: directory.appendingPathComponent("c.json"))
        return try Configuration.load(path: directory.appendingPathComponent("config.json").path)
    }

    @Test("header files are credentials bound to the page's origin, not headers of every hop")
    func credentials() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-scanner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = """
            {"sites": [{"name": "shop", "charters": ["c.json"],
              "variants": [{"name": "staff", "consent": false, "headerFiles": {"Authorization": "token"}}],
              "pages": [{"url": "https://shop.example.com:8443/cart/"}]}]}
            """
        try Data(config.utf8).write(to: directory.appendingPathComponent("config.json"))
        try Data(Self.charter.utf8).write(to: directory.appendingPathComponent("c.json"))
        try Data("Bearer s3\n".utf8).write(to: directory.appendingPathComponent("token"))
        let configuration = try Configuration.load(path: directory.appendingPathComponent("config.json").path)
        let targets = try ScanPlan.targets(configuration)
        let request = try #require(targets.first?.request)
        #expect(request.headers.map(\.name) == ["User-Agent"])
        #expect(request.credentials?.origin.description == "https://shop.example.com:8443")
        #expect(request.credentials?.headers.map { "\($0.name): \($0.value)" } == ["Authorization: Bearer s3"])
        // A line break inside the value would end the header and start another: refused before any visit.
        try Data("Bearer s3\r\nX-Injected: 1\n".utf8).write(to: directory.appendingPathComponent("token"))
        #expect {
            try ScanPlan.targets(configuration)
        } throws: { error in
            (error as? ScanPlanError)?.message
                == "https://shop.example.com:8443/cart/ [staff]: the Authorization header file \(directory.path)/token holds a line break or NUL inside its value"
        }
    }

    @Test("a cancelled pass over libcurl reports every page variant, those not finished as cancelled")
    func cancelledPass() async throws {
        let server = try LocalHTTPServer(
            routes: ["/": { _ in .respond(.page(setCookies: ["sid=1"])) }], fallback: { _ in .hang })
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-scanner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pages = ["/"] + (0..<9).map { "/slow/\($0)" }
        let config = """
            {"allowedPrivateNetworks": ["127.0.0.0/8"], "limits": {"concurrency": 2, "perHostConcurrency": 2},
             "sites": [{"name": "shop", "charters": ["c.json"],
                        "pages": [\(pages.map { "{\"url\": \"\(server.url($0))\"}" }.joined(separator: ", "))]}]}
            """
        try Data(config.utf8).write(to: directory.appendingPathComponent("config.json"))
        try Data(Self.charter.utf8).write(to: directory.appendingPathComponent("c.json"))
        let configuration = try Configuration.load(path: directory.appendingPathComponent("config.json").path)
        let fetcher = try CurlFetcher(
            concurrency: ConcurrencyLimits(maxTransfers: 2, maxTransfersPerHost: 2))
        defer { fetcher.shutdown() }
        let targets = try ScanPlan.targets(configuration)
        let observed = Mutex<[Int: String]>([:])
        let scan = Task {
            await Scanner(fetcher: fetcher, concurrency: configuration.visitCaps.total).scan(
                targets, sites: configuration.sites, now: { Date() },
                observe: { index, _, observation in
                    observed.withLock { $0[index] = observation.failure?.code ?? "ok" }
                })
        }
        // Cancelled once the page that answers is in (the others never answer).
        let deadline = ContinuousClock.now + .seconds(20)
        while observed.withLock({ $0[0] }) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        scan.cancel()
        let report = await scan.value
        let codes = observed.withLock { $0 }
        #expect(codes.count == 10 && Set(codes.keys) == Set(0..<10))
        #expect(codes[0] == "ok")
        #expect((1..<10).allSatisfy { codes[$0] == "cancelled" })
        #expect(report.sites.first?.pageCount == 10)
    }

    @Test("every page variant becomes a request with the variant's headers and cookies, in configuration order")
    func plan() throws {
        let targets = try ScanPlan.targets(try configuration())
        #expect(
            targets.map { "\($0.page.url) \($0.variant.name)" } == [
                "https://shop.example.com/ no-consent", "https://shop.example.com/ accepted",
                "https://shop.example.com/cart/ no-consent", "https://shop.example.com/cart/ accepted",
                "https://shop.example.com/gone/ no-consent", "https://shop.example.com/gone/ accepted",
            ])
        #expect(
            targets[0].request.headers.map { "\($0.name): \($0.value)" } == [
                "User-Agent: \(ScanPlan.defaultUserAgent)", "Accept-Language: fr",
            ])
        #expect(targets[1].request.headers.map { "\($0.name): \($0.value)" } == ["User-Agent: UA/1"])
        #expect(targets[1].request.cookies.map { "\($0.name)=\($0.value)" } == ["consent=yes"])
        #expect(throws: ScanPlanError.self) { try ScanPlan.targets(try configuration(), site: "other") }
    }

    @Test("a pass audits each site from the visits, keeps failures apart, and respects the concurrency")
    func pass() async throws {
        let configuration = try configuration()
        let fetcher = FakeFetcher([
            "https://shop.example.com/": [(200, ["sid=abc", "_stats=1; Max-Age=600", "x=1; Domain=com"])],
            "https://shop.example.com/cart/": [(200, ["sid=abc", "tracker=1"])],
        ])
        let report = await Scanner(fetcher: fetcher, concurrency: configuration.limits.concurrency)
            .scan(
                try ScanPlan.targets(configuration), sites: configuration.sites,
                now: { Date(timeIntervalSince1970: 1_780_000_000) })
        #expect(fetcher.requests.count == 6)
        #expect(fetcher.maxInFlight <= 2)
        let site = try #require(report.sites.first)
        #expect(
            site.failures.map(\.page.description) == [
                "https://shop.example.com/gone/ [no-consent]", "https://shop.example.com/gone/ [accepted]",
            ])
        #expect(
            report.findings.map { "\($0.kind.rawValue) \($0.cookie ?? "-")" }.sorted() == [
                "insecure-attributes _stats", "insecure-attributes sid", "insecure-attributes tracker",
                "rejected-by-browser x", "scan-error -", "scan-error -", "set-before-consent _stats",
                "undeclared tracker",
            ])
        #expect(report.exitCode(failOn: .critical) == 1)
        // Two page variants failed: the pass is incomplete and cannot pass, unless the user allows it.
        #expect(!report.isComplete)
        #expect(report.exitCode(failOn: nil) == 1)
        #expect(report.exitCode(failOn: nil, allowIncomplete: true) == 0)
        #expect(report.exitCode(failOn: .high, allowIncomplete: true) == 1, "set-before-consent is critical")
        #expect(report.incompleteNotice == "scan incomplete: 2 of 6 page variants could not be scanned (dns)")
    }

    @Test("a configured site's first party: the registrable domain of each host its pages are on, however many")
    func firstPartyOfConfiguredPages() {
        let urls =
            (0..<1_000).map { "https://shop.example.com/p/\($0)" } + [
                "https://shop.example.com:8443/", "http://cdn.example.net/a?b=c", "https://www.other.example.org#top",
                "HTTPS://Upper.example.co.uk/x", "https://user:pass@login.example.fr/", "https://shop.example.com",
            ]
        let site = Site(
            name: "shop", pages: urls.map { Page(name: $0, url: $0, variants: []) }, charterFiles: [],
            charters: CharterSet([]))
        #expect(
            SiteAudit(configured: site).firstPartyDomains == [
                "example.com", "example.net", "example.org", "example.co.uk", "example.fr",
            ])
    }

    @Test("a page's host is CookieURL's, whether its authority is the last one, one seen before, or new")
    func pageHosts() throws {
        let urls = [
            "https://shop.example.com/p/1", "https://shop.example.com/p/2", "https://shop.example.com:8443/a",
            "https://shop.example.com/p/3", "HTTPS://Upper.Example.co.uk/x", "http://cdn.example.net?b=c",
            "https://shop.example.com:8443/b", "http://cdn.example.net#top", "https://user:pass@login.example.fr/",
            "https://upper.example.co.uk/y", "http://[::1]:8080/z", "http://127.0.0.1/",
        ]
        var hosts = PageHosts()
        for url in urls {
            #expect(hosts.host(of: url) == (try CookieURL(parsing: url)).host, "\(url)")
        }
        #expect(hosts.host(of: "not a url") == nil)
    }
}
