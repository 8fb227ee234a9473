import ArgumentParser
import Charter
import CookieModel
import Foundation
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

    func run() async throws {
        do { _ = try CookieURL(parsing: url) } catch { throw CommandFailure.usage("URL: \(error)") }
        let charters = try charter.map { path in CharterSet([try loadCharter(path)]) }
        var limits = FetchLimits()
        do { limits.addressPolicy = try AddressPolicy(allowing: allowNetwork) } catch {
            throw CommandFailure.usage("--allow-network: \(error)")
        }
        let fetcher: CurlFetcher
        do { fetcher = try CurlFetcher() } catch {
            throw CommandFailure.internalFailure("cannot start libcurl: \(error)")
        }
        defer { fetcher.shutdown() }
        let exchange = await fetcher.visit(
            VisitRequest(
                url: url, headers: [("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) cookiewatch/0.1")], limits: limits))
        let inspection = Inspection(exchange: exchange, charters: charters, now: Date())
        print(format == .json ? try encodeJSON(inspection.json) : inspection.text, terminator: "")
        if exchange.failure != nil { throw ExitCode(1) }
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
