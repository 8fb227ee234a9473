import ArgumentParser
import Charter
import CharterTables
import Config
import Foundation
import Report
import StrictJSON

/// `cookiewatch charter propose`: the site's charters as they should read after review, from what the
/// daemon's history shows the site sets now.
struct ProposeCharterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Write the site's charters as they should be after review: today's, plus what the site sets now.",
        discussion: """
            Reads the history over the window like `report`, takes the cookies each page variant stores now, \
            and writes each of the site's charter files into --output as registry JSON (same file name) and \
            as the tables `charter export` renders (.md, .html): every undeclared cookie added to the \
            site's first charter (what the Open Cookie Database suggests, marked SUGGESTED; an unknown one \
            as marketing, marked UNKNOWN), and declared entries whose cookies outgrew their duration or \
            changed their expected attributes updated to what the site does. Prints each change. Review \
            with `diff` against the published charters before publishing. Exits 2 for usage errors.
            """
    )

    @Option(name: .long, help: "The configuration file.")
    var config: String

    @Option(name: .long, help: "The site (required when the configuration has several).")
    var site: String?

    @Option(name: .long, help: "The directory to write the proposed charters into (created if needed).")
    var output: String

    @Option(name: .long, help: "Start of the window: a number of days before --until (30d) or YYYY-MM-DD.")
    var since: String?

    @Option(name: .long, help: "Last day of the window, included (YYYY-MM-DD); default now.")
    var until: String?

    func run() async throws {
        let configuration = try loadConfiguration(config)
        let chosen: Site
        if let site {
            guard let found = configuration.sites.first(where: { $0.name == site }) else {
                throw CommandFailure.usage(
                    "--site \(site): no such site in \(config) (sites: \(configuration.sites.map(\.name).joined(separator: ", ")))"
                )
            }
            chosen = found
        } else {
            guard configuration.sites.count == 1, let only = configuration.sites.first else {
                throw CommandFailure.usage(
                    "\(config) has \(configuration.sites.count) sites: give --site (\(configuration.sites.map(\.name).joined(separator: ", ")))"
                )
            }
            chosen = only
        }
        let now = Int64(Date().timeIntervalSince1970.rounded(.down))
        let window: ReportWindow
        switch ReportWindow.parse(since: since, until: until, now: now) {
        case .success(let parsed): window = parsed
        case .failure(let error): throw CommandFailure.usage(error.description)
        }
        var builder = ReportBuilder(window: window, site: chosen.name)
        ReportCommand.readHistory(configuration.directories.state + "/history", window: window, into: &builder)
        let report = builder.report(charters: [chosen.name: chosen.charters], generated: now)
        guard let siteReport = report.sites.first(where: { $0.name == chosen.name }), !siteReport.cookies.isEmpty else {
            throw CommandFailure.usage(
                "no scan of site \(chosen.name) in \(configuration.directories.state)/history from \(window.days.lowerBound) to \(window.days.upperBound): run the daemon (or the demo) first"
            )
        }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure.usage("--output \(output): cannot create the directory: \(error.localizedDescription)")
        }
        let proposals = CharterProposal.propose(siteReport, charters: chosen.charters)
        for (file, proposed) in zip(chosen.charterFiles, proposals) {
            let base = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let json = URL(fileURLWithPath: output).appendingPathComponent(base + ".json")
            let directory = URL(fileURLWithPath: output)
            do {
                try Data(JSONWriter.pretty(proposed.charter.jsonValue).utf8).write(to: json)
                for format in [CharterExporter.Format.md, .html] {
                    try Data(CharterExporter.export(proposed.charter, format: format).utf8).write(
                        to: directory.appendingPathComponent(base + "." + format.rawValue))
                }
            } catch {
                throw CommandFailure.internalFailure("cannot write into \(output): \(error.localizedDescription)")
            }
            print("\(file) → \(json.path) (and \(base).md, \(base).html):")
            if proposed.changes.isEmpty { print("  no change") }
            for change in proposed.changes { print("  - \(change)") }
        }
    }
}
