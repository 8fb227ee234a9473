import ArgumentParser
import Audit
import Browser
import Charter
import Config
import CookieModel
import Foundation
import NetworkAddress
import Scanning
import Transport

/// `cookiewatch inspect`: one visit, no configuration: which cookies does this URL set, hop by hop?
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Visit one URL and show every hop, every Set-Cookie and what a browser keeps.",
        discussion: """
            Cookie values are shown only as length and shape. Loopback and private addresses are refused \
            unless --allow-network names them (e.g. --allow-network 127.0.0.0/8). Exits 1 when the visit \
            failed (the hops before the failure are still shown), 2 for a bad argument or charter.
            """
    )

    @Argument(help: "An http or https URL.")
    var url: String

    @Option(name: .long, help: "A charter registry (JSON): show which entry each cookie matches.")
    var charter: String?

    @Option(
        name: .customLong("allow-network"), help: "A private or local network that may be visited (CIDR); repeatable.")
    var allowNetwork: [String] = []

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "http (libcurl, the navigation's headers) or browser (headless Chromium).")
    var engine: EngineChoice = .http

    @Option(name: .long, help: "HOST:ADDRESS: resolve HOST to ADDRESS, like curl's --resolve; repeatable.")
    var resolve: [String] = []

    func run() async throws {
        do { _ = try CookieURL(parsing: url) } catch { throw CommandFailure.usage("URL: \(error)") }
        let charters = try charter.map { path in CharterSet([try loadCharter(path)]) }
        var limits = FetchLimits()
        do { limits.addressPolicy = try AddressPolicy(allowing: allowNetwork) } catch {
            throw CommandFailure.usage("--allow-network: \(error)")
        }
        for entry in resolve {
            guard let colon = entry.firstIndex(of: ":"), HostName.isValid(entry[..<colon].lowercased()),
                IPAddress(String(entry[entry.index(after: colon)...])) != nil
            else { throw CommandFailure.usage("--resolve: expected HOST:ADDRESS, got \"\(entry)\"") }
            limits.resolve[entry[..<colon].lowercased()] = String(entry[entry.index(after: colon)...])
        }
        let request = VisitRequest(url: url, headers: [("User-Agent", ScanPlan.defaultUserAgent)], limits: limits)
        if engine == .browser {
            try await inspectInBrowser(request, charters: charters)
            return
        }
        let fetcher: CurlFetcher
        do { fetcher = try CurlFetcher() } catch {
            throw CommandFailure.internalFailure("cannot start libcurl: \(error)")
        }
        defer { fetcher.shutdown() }
        let exchange = await fetcher.visit(request)
        let inspection = Inspection(exchange: exchange, charters: charters, now: Date())
        print(format == .json ? try encodeJSON(inspection.json) : inspection.text, terminator: "")
        if exchange.failure != nil { throw ExitCode(1) }
    }

    private func inspectInBrowser(_ request: VisitRequest, charters: CharterSet?) async throws {
        var options = BrowserOptions()
        options.resolve = request.limits.resolve
        let supervisor: BrowserSupervisor
        do {
            supervisor = BrowserSupervisor(installation: try ChromiumInstallation.locate(), options: options)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        let result = await BrowserEngine(supervisor: supervisor, concurrency: 1).visit(request)
        await supervisor.shutdown()
        let observation = BrowserObservation.make(
            page: PageRef(url: url, variant: "inspect"), consentGiven: false, pageURL: url, result: result, now: Date())
        let inspection = BrowserInspection(
            url: url, observation: observation, capture: result.capture, charters: charters, now: Date())
        print(format == .json ? try encodeJSON(inspection.json) : inspection.text, terminator: "")
        if result.failure != nil { throw ExitCode(1) }
    }

    private func loadCharter(_ path: String) throws -> Charter {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure.usage("--charter: cannot read \(path)")
        }
        do { return try Charter(decoding: Array(data), file: path) } catch {
            throw CommandFailure.usage(error.description)
        }
    }
}

/// `inspect --engine`.
enum EngineChoice: String, ExpressibleByArgument, CaseIterable {
    case http
    case browser
}
