import ArgumentParser
import CookieModel
import Foundation

/// `cookiewatch explain`: what a browser does with the Set-Cookie values given on stdin.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show what a browser stores from Set-Cookie values read on stdin, one per line.",
        discussion: """
            Lines are the values of Set-Cookie headers received from --url, in that order; a leading \
            "Set-Cookie:" is accepted and blank lines are skipped. Prints the cookies a browser stores, \
            each header it rejects and why, and with --request the Cookie header it would send there.
            """
    )

    @Option(name: .long, help: "The URL whose response carried the headers.")
    var url: String

    @Option(name: .long, help: "A URL to compute the Cookie header for.")
    var request: String?

    @Option(name: .long, help: "The time of the response, RFC 3339 (default: now).")
    var now: String?

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let from = try parseURL(url, argument: "--url")
        let requestURL = try request.map { try parseURL($0, argument: "--request") }
        let clock = try parseNow()
        try Explanation.run(
            from: from, at: clock, request: requestURL, format: format, input: FileHandle.standardInput,
            output: FileHandle.standardOutput)
    }

    private func parseURL(_ text: String, argument: String) throws -> CookieURL {
        do { return try CookieURL(parsing: text) } catch { throw CommandFailure.usage("\(argument): \(error)") }
    }

    private func parseNow() throws -> Date {
        guard let now else { return Date() }
        guard let seconds = CivilTime.parseRFC3339(now) else {
            throw CommandFailure.usage("--now: \"\(now)\" is not an RFC 3339 time such as 2026-11-29T10:00:00Z")
        }
        return Date(timeIntervalSince1970: Double(seconds))
    }
}
