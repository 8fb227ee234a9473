import ArgumentParser
import Config
import CookieModel
import Foundation
import Report
import Watch

/// `cookiewatch baseline`: the approved state that drift is also measured against.
struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Pin the sites' current cookies as the approved state.",
        subcommands: [PinBaselineCommand.self]
    )
}

/// `cookiewatch baseline pin --config F [--site S] [--by NAME]`.
struct PinBaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Record each page variant's latest cookie list in the history as the approved state.",
        discussion: """
            Reads stateDirectory/history/*.jsonl for the latest successful cookie list of every page variant \
            of the chosen sites (all sites without --site) and writes them, with who and when, to \
            stateDirectory/baseline.json (replaced atomically, mode 0640). Other sites' pins are kept. \
            `report` then shows what changed since. Exits 2 when there is no history yet or the baseline \
            file cannot be read, 3 when it cannot be written.
            """
    )

    @Option(name: .long, help: "The configuration file.")
    var config: String

    @Option(name: .long, help: "Pin only this site.")
    var site: String?

    @Option(name: .long, help: "Who approves this state (default: $USER, else $LOGNAME, else unknown).")
    var by: String?

    func run() async throws {
        let configuration = try loadConfiguration(config)
        let names = configuration.sites.map(\.name)
        if let site, !names.contains(site) {
            throw CommandFailure.usage(
                "--site \(site): no such site in \(config) (sites: \(names.joined(separator: ", ")))")
        }
        let state = configuration.directories.state
        let history = state + "/history"
        let now = Date()
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        // From now on: every earlier day is read only for its cookie lists; lines stamped later (a clock
        // that was ahead) still count, since the latest list is what is pinned.
        let window = ReportWindow(since: seconds, until: Self.endOfTime)
        var builder = ReportBuilder(window: window, site: site)
        ReportCommand.readHistory(history, window: window, into: &builder)
        let lists = builder.latestLists().filter { names.contains($0.key) }
        guard !lists.isEmpty else {
            throw CommandFailure.usage(
                "\(history): no cookie list \(site.map { "of site \($0) " } ?? "")in the history yet: "
                    + "nothing to pin (the daemon writes one on each page variant's first successful scan)")
        }
        let file = BaselineFile(stateDirectory: state)
        var baseline: Baseline
        do {
            baseline = try file.load() ?? Baseline(pinnedAt: now, pinnedBy: "", sites: [:])
        } catch {
            throw CommandFailure.usage(error.description)
        }
        let person = Self.person(by, environment: ProcessInfo.processInfo.environment)
        let pinnedAt = Date(timeIntervalSince1970: TimeInterval(seconds))
        for (name, pages) in lists.sorted(by: { $0.key < $1.key }) {
            baseline.pin(site: name, pages: pages, at: pinnedAt, by: person)
        }
        do {
            try file.save(baseline)
        } catch {
            throw CommandFailure.internalFailure(error.description)
        }
        for (name, pages) in lists.sorted(by: { $0.key < $1.key }) {
            let cookies = Set(pages.flatMap { $0.cookies.map(\.identity) }).count
            print(
                "pinned site \(name): \(pages.count) page variant\(pages.count == 1 ? "" : "s"), "
                    + "\(cookies) cookie\(cookies == 1 ? "" : "s")")
        }
        print("\(file.path): pinned at \(CivilTime.rfc3339(seconds)) by \(person)")
    }

    /// 10000-01-01T00:00:00Z: after any day file.
    static let endOfTime: Int64 = 253_402_300_800

    /// `--by`, else the login name from the environment, else "unknown".
    static func person(_ by: String?, environment: [String: String]) -> String {
        for candidate in [by, environment["USER"], environment["LOGNAME"]] {
            if let candidate, !candidate.trimmingCharacters(in: .whitespaces).isEmpty { return candidate }
        }
        return "unknown"
    }
}
