import ArgumentParser
import Config
import Foundation
import Watch

/// `cookiewatch history`: inspect the daemon's append-only history.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Check the daemon's history log.",
        subcommands: [VerifyHistoryCommand.self]
    )
}

/// `cookiewatch history verify --config F`: walks the hash chain of every history segment.
struct VerifyHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every history line parses and chains to the line before it.",
        discussion: """
            Reads stateDirectory/history/*.jsonl in order. Prints a summary and exits 0 when the chain \
            is intact; names the first broken line (FILE:LINE: why) on stderr and exits 1 otherwise; \
            exits 2 for configuration errors and 3 when the history cannot be read.
            """
    )

    @Option(name: .long, help: "The configuration file.")
    var config: String

    func run() async throws {
        let directory = try loadConfiguration(config).directories.state + "/history"
        let verification: HistoryVerification
        do {
            verification = try HistoryLog.verify(directory: directory)
        } catch {
            throw CommandFailure.internalFailure(error.description)
        }
        if let broken = verification.broken {
            throw CommandFailure(exitCode: 1, message: "history chain broken at \(broken)")
        }
        print(Self.summary(verification, directory: directory))
    }

    static func summary(_ verification: HistoryVerification, directory: String) -> String {
        let counts =
            "\(verification.segments) \(verification.segments == 1 ? "segment" : "segments"), "
            + "\(verification.lines) \(verification.lines == 1 ? "line" : "lines")"
        guard let anchor = verification.anchor, anchor != HexDigest.zero else {
            return "\(directory): chain intact, \(counts)"
        }
        return "\(directory): chain intact, \(counts), from a line after removed segments (prev \(anchor.prefix(16))…)"
    }
}
