import ArgumentParser
import DemoSite
import Foundation
import Config
import Report
import Scanning

/// `cookiewatch demo`: fully offline; serves the sample site on 127.0.0.1, scans it, prints the findings
/// and writes the HTML drift report of its two scan passes.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve a built-in sample site on 127.0.0.1, scan it with the shipped charter, print the findings.",
        discussion: """
            Writes the demo's configuration and charters to a new temporary directory and prints its path, \
            so that `cookiewatch scan --config DIR/config.json` can be tried on them while a demo runs. \
            Scans the site twice: its previous release (recorded a day earlier), then the current one, whose \
            findings it prints. Both passes go into DIR/state/history, and the HTML drift report of that \
            history into DIR/report.html; the last line printed is its path (on stderr with --format json).
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
        do { configPath = try DemoFiles.write(to: directory, base: site.baseURL, password: site.password) } catch {
            throw CommandFailure.internalFailure("cannot write the demo files to \(directory.path): \(error)")
        }
        FileHandle.standardError.write(
            Data(
                """
                cookiewatch demo: sample site at \(site.baseURL), configuration and charters in \(directory.path)

                """.utf8))
        let configuration = try loadConfiguration(configPath)
        // The previous release first, recorded as yesterday's pass, so that the report shows the drift.
        site.serve(.previous)
        var earlier = DemoHistory.Pass(time: Date().addingTimeInterval(-86_400))
        let previous = try await scan(configuration, site: nil) { earlier.add($0, $1, $2) }
        earlier.report = previous
        site.serve(.current)
        var current = DemoHistory.Pass(time: Date())
        let latest = try await scanAndPrint(configuration, site: nil, format: format) { current.add($0, $1, $2) }
        current.report = latest
        if format == .text { await scanScriptedPages(directory) }
        let now = Date()
        let reportPath = directory.appendingPathComponent("report.html").path
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.directories.state, withIntermediateDirectories: true)
            try DemoHistory.record([earlier, current], stateDirectory: configuration.directories.state)
            try DemoHistory.recordAlerts([earlier, current], configuration: configuration)
        } catch {
            throw CommandFailure.internalFailure("cannot record the demo's history: \(error)")
        }
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        try ReportCommand.write(
            configuration, window: ReportWindow(since: seconds - 2 * 86_400, until: seconds + 1), site: nil,
            format: .html, output: reportPath, now: seconds)
        let line = "HTML report: \(reportPath)\n"
        if format == .json {
            FileHandle.standardError.write(Data(line.utf8))
        } else {
            print(line, terminator: "")
        }
    }

    /// The same platform's scripted page through the browser engine: script, banner and third-party
    /// cookies no header shows. Skipped, saying why, when Chromium cannot run here.
    private func scanScriptedPages(_ directory: URL) async {
        print("\nThe scripted page, in headless Chromium (the browser engine):\n")
        do {
            let configuration = try Configuration.load(
                path: directory.appendingPathComponent("config-browser.json").path)
            let report = try await scanAndPrint(configuration, site: nil, format: .text)
            let entries = Set(report.sites.flatMap(\.audit.cookies).compactMap(\.entry))
            let scripted = ["cookies_preferences", "_BEAMER*"].filter(entries.contains)
            print("Seed charter entries set by scripts, seen: \(scripted.joined(separator: ", "))\n")
        } catch let failure as CommandFailure {
            print("skipped: \(failure.message) (scripts/demo installs chromium)\n")
        } catch {
            print("skipped: \(error)\n")
        }
    }
}
