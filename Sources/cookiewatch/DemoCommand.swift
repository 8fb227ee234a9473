import ArgumentParser
import DemoSite
import Foundation
import Scanning

/// `cookiewatch demo`: fully offline; serves the sample site on 127.0.0.1, scans it, prints the findings.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve a built-in sample site on 127.0.0.1, scan it with the shipped charter, print the findings.",
        discussion: """
            Writes the demo's configuration and charters to a new temporary directory and prints its path, \
            so that `cookiewatch scan --config DIR/config.json` can be tried on them while a demo runs.
            """
    )

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let site: DemoSite
        do { site = try DemoSite() } catch {
            throw CommandFailure.internalFailure("cannot start the sample site: \(error)")
        }
        defer { site.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cookiewatch-demo-\(UUID().uuidString.prefix(8))")
        let configPath: String
        do { configPath = try DemoFiles.write(to: directory, base: site.baseURL) } catch {
            throw CommandFailure.internalFailure("cannot write the demo files to \(directory.path): \(error)")
        }
        FileHandle.standardError.write(
            Data(
                """
                cookiewatch demo: sample site at \(site.baseURL), configuration and charters in \(directory.path)

                """.utf8))
        let report = try await scan(try loadConfiguration(configPath), site: nil)
        print(
            format == .json ? try encodeJSON(report.json) : report.text(colour: terminalWantsColour(STDOUT_FILENO)),
            terminator: "")
    }
}
