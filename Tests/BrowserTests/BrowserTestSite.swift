import Browser
import LocalHTTP
import NetworkAddress
import ProcessTestSupport
import Transport

/// A local site under test host names (`site.test`, `pixel.test`, ... all mapped to 127.0.0.1) and a
/// supervised Chromium that resolves nothing else. Stopped by `finish`.
struct BrowserTestSite {
    let server: LocalHTTPServer
    let engine: BrowserEngine

    init(
        routes: [String: LocalHTTPServer.Handler], hosts: [String] = ["site.test", "pixel.test"],
        binary: String? = nil, configure: (inout BrowserOptions) -> Void = { _ in }
    ) throws {
        server = try LocalHTTPServer(routes: routes)
        var options = BrowserOptions()
        options.resolve = Dictionary(uniqueKeysWithValues: hosts.map { ($0, "127.0.0.1") })
        options.resolveOnlyMapped = true
        options.settle = .milliseconds(200)
        options.commandTimeout = .seconds(10)
        configure(&options)
        let installation = try ChromiumInstallation.locate(binary)
        engine = BrowserEngine(supervisor: BrowserSupervisor(installation: installation, options: options))
    }

    func url(_ path: String, host: String = "site.test") -> String { "http://\(host):\(server.port)\(path)" }

    func visit(
        _ path: String, host: String = "site.test", timeout: Duration = .seconds(10),
        credentials: CredentialHeaders? = nil
    ) async -> BrowserVisitResult {
        var limits = FetchLimits()
        limits.addressPolicy = AddressPolicy(allowed: [localhost])
        limits.visitTimeout = timeout
        var request = VisitRequest(url: url(path, host: host), limits: limits)
        request.credentials = credentials
        return await engine.visit(request)
    }

    func finish() async {
        await engine.supervisor.shutdown()
        server.stop()
    }
}

let localhost: IPNetwork = {
    do { return try IPNetwork(parsing: "127.0.0.1/32") } catch { fatalError("127.0.0.1/32 must parse: \(error)") }
}()
