import Audit
import Browser
import CookieModel
import Foundation
import LocalHTTP
import NetworkAddress
import ProcessTestSupport
import Testing
import Transport

@testable import Scanning

/// How far cookiewatch's cookie model is from Chromium's, measured: the repository's conformance
/// vectors run through real Chromium and through the model, at the same clock, and every difference
/// listed. A difference not in `accepted` fails the test; so does an accepted one that went away.
@Suite("The cookie model against real Chromium, over the conformance vectors", .serialized)
struct ChromiumConformanceTests {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("vectors")

    struct HTTPStateCase: Decodable {
        let id: String
        let requestUrl: String
        let setCookie: [String]
        let nextUrl: String
    }

    /// Differences between the model and Chromium 156, each with the reason it is accepted.
    static let accepted: [String: String] = [
        "cookie-dates line 66":
            "Expires year 31841: RFC 6265 5.1.1 reads at most 4 year digits, so the date fails and the model keeps a "
            + "session cookie; Chromium reads the year and caps the cookie at 400 days. Kept: the cookie-date "
            + "algorithm is the standard, the date is broken either way, and the vectors expect the RFC's answer."
    ]

    static func engine(resolve: [String: String], pins: [String] = []) throws -> BrowserEngine {
        var options = BrowserOptions()
        options.resolve = resolve
        options.resolveOnlyMapped = true
        options.settle = .milliseconds(50)
        options.trustedPublicKeys = pins
        return BrowserEngine(
            supervisor: BrowserSupervisor(installation: try ChromiumInstallation.locate(), options: options),
            concurrency: 4)
    }

    static func limits() throws -> FetchLimits {
        var limits = FetchLimits()
        limits.addressPolicy = AddressPolicy(allowed: [try IPNetwork(parsing: "127.0.0.1/32")])
        limits.visitTimeout = .seconds(20)
        return limits
    }

    /// Runs `visits` through `engine`, four at a time, and returns their results in order.
    static func run(_ urls: [String], _ engine: BrowserEngine) async throws -> [BrowserVisitResult] {
        let limits = try limits()
        return await withTaskGroup(of: (Int, BrowserVisitResult).self) { group in
            for (index, url) in urls.enumerated() {
                group.addTask { (index, await engine.visit(VisitRequest(url: url, limits: limits))) }
            }
            var results = [BrowserVisitResult?](repeating: nil, count: urls.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    @Test("http-state: the Cookie header Chromium sends next, against the model's")
    func httpState() async throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let cases = try String(contentsOf: Self.vectors.appendingPathComponent("http-state.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try decoder.decode(HTTPStateCase.self, from: Data($0.utf8)) }
        #expect(cases.count == 216)
        let server = try LocalHTTPServer()
        defer { server.stop() }
        let port = server.port
        @Sendable func local(_ url: String) -> String { url.replacingOccurrences(of: ":8888/", with: ":\(port)/") }
        let byQuery = Dictionary(
            uniqueKeysWithValues: cases.map { (URLComponents(string: $0.requestUrl)?.query ?? "", $0) })
        server.route("/cookie-parser") { request in
            let query = String(request.target.split(separator: "?", maxSplits: 1).last ?? "")
            guard let c = byQuery[query] else { return .respond(Response(status: 404)) }
            return .respond(.redirect(to: local(c.nextUrl), setCookies: c.setCookie))
        }
        server.route("/cookie-parser-result") { _ in .respond(.page()) }
        let hosts = [
            "home.example.org", "sibling.example.org", "subdomain.home.example.org", "sibling.home.example.org",
        ]
        let engine = try Self.engine(resolve: Dictionary(uniqueKeysWithValues: hosts.map { ($0, "127.0.0.1") }))
        let results = try await Self.run(cases.map { local($0.requestUrl) }, engine)
        await engine.supervisor.shutdown()

        // Every request after the redirect (some cases go on to /cookie-parser-result/foo and the like).
        let received = server.requests.filter { $0.path.hasPrefix("/cookie-parser-result") }
        var differences: [String: String] = [:]
        for (c, result) in zip(cases, results) {
            let query = URLComponents(string: c.requestUrl)?.query ?? ""
            #expect(
                result.failure == nil || result.failure?.code == .httpStatus,
                "\(c.id): \(String(describing: result.failure))")
            let chromium = received.first { $0.target.hasSuffix("?\(query)") }?.header("Cookie") ?? ""
            var jar = CookieJar()
            let now = Date()
            let from = try CookieURL(parsing: c.requestUrl)
            for line in c.setCookie { _ = jar.receive(setCookie: line, from: from, at: now) }
            let model = jar.cookieHeader(for: try CookieURL(parsing: c.nextUrl), at: now) ?? ""
            if model != chromium { differences[c.id] = "model sends \"\(model)\", Chromium sends \"\(chromium)\"" }
        }
        Self.report("http-state", differences, of: cases.count)
    }

    @Test("real-world Set-Cookie values: Chromium's verdict on each line against the model's")
    func realWorld() async throws {
        let lines = try String(contentsOf: Self.vectors.appendingPathComponent("realworld.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(lines.count == 400)
        var routes: [String: TLSSite.Route] = [:]
        for (n, line) in lines.enumerated() {
            routes["/rw/\(n)"] = .html("<!doctype html>\(n)", setCookies: [line])
        }
        let site = try await TLSSite(hosts: ["www.example.com"], routes: routes)
        defer { site.stop() }
        let engine = try Self.engine(resolve: ["www.example.com": "127.0.0.1"], pins: [site.publicKeyPin])
        let urls = lines.indices.map { site.url("/rw/\($0)", host: "www.example.com") }
        let results = try await Self.run(urls, engine)
        await engine.supervisor.shutdown()

        var differences: [String: String] = [:]
        for (n, result) in results.enumerated() {
            #expect(result.failure == nil, "line \(n + 1): \(String(describing: result.failure))")
            let page = PageRef(url: urls[n], variant: "v")
            let observation = BrowserObservation.make(
                page: page, consentGiven: false, pageURL: urls[n], result: result, now: Date())
            if !observation.disagreements.isEmpty {
                differences["realworld line \(n + 1)"] = observation.disagreements.map {
                    "\($0.cookie): model \($0.model), Chromium \($0.browser)"
                }.joined(separator: "; ")
            }
        }
        Self.report("real-world", differences, of: lines.count)
    }

    struct DateCase: Decodable {
        let input: String
    }

    @Test("cookie dates: whether Chromium keeps `Expires=<date>`, and until when, against the model")
    func cookieDates() async throws {
        let cases = try String(contentsOf: Self.vectors.appendingPathComponent("cookie-dates.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(DateCase.self, from: Data($0.utf8)) }
        #expect(cases.count == 70)
        let server = try LocalHTTPServer()
        defer { server.stop() }
        for (n, c) in cases.enumerated() {
            server.route("/date/\(n)") { _ in .respond(.page(setCookies: ["d=1; Path=/; Expires=\(c.input)"])) }
        }
        let engine = try Self.engine(resolve: ["dates.example.org": "127.0.0.1"])
        let urls = cases.indices.map { "http://dates.example.org:\(server.port)/date/\($0)" }
        let results = try await Self.run(urls, engine)
        await engine.supervisor.shutdown()

        var differences: [String: String] = [:]
        for (n, (c, result)) in zip(cases, results).enumerated() {
            #expect(result.failure == nil, "date \(n + 1): \(String(describing: result.failure))")
            let now = Date()
            var jar = CookieJar()
            _ = jar.receive(
                setCookie: "d=1; Path=/; Expires=\(c.input)", from: try CookieURL(parsing: urls[n]), at: now)
            let model = jar.allCookies(at: now).first.map { $0.expires?.timeIntervalSince1970 }
            let chromium = result.capture.finalCookies.first.map(\.expires)
            let same: Bool =
                switch (model, chromium) {
                case (nil, nil): true
                case (.some(nil), .some(nil)): true
                // The model's clock is read after every visit: a date capped at 400 days moves with it.
                case (.some(.some(let a)), .some(.some(let b))): abs(a - b) < 120
                default: false
                }
            if !same {
                differences["cookie-dates line \(n + 1)"] =
                    "\(c.input): model \(String(describing: model)), Chromium \(String(describing: chromium))"
            }
        }
        Self.report("cookie-dates", differences, of: cases.count)
    }

    /// Prints every difference, and fails on one that is not accepted or an accepted one that is gone.
    static func report(_ suite: String, _ differences: [String: String], of total: Int) {
        print("model vs Chromium, \(suite): \(differences.count) of \(total) differ")
        for (id, text) in differences.sorted(by: { $0.key < $1.key }) { print("  \(id): \(text)") }
        for (id, text) in differences where accepted[id] == nil {
            Issue.record("\(id): a new difference from Chromium: \(text)")
        }
        let prefix = suite == "real-world" ? "realworld" : suite
        for id in accepted.keys where id.hasPrefix(prefix) && differences[id] == nil {
            Issue.record("\(id): an accepted difference from Chromium is gone; remove it from `accepted`")
        }
    }
}
