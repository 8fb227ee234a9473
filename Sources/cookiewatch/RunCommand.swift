import ArgumentParser
import Config
import Daemon
import Foundation
import JournalLogging
import Knowledge
import Logging

/// `cookiewatch run`: the daemon in the foreground, as systemd runs it (`Type=notify`).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon in the foreground: scheduled scans, history, alerts (systemd Type=notify).",
        discussion: """
            Writes history, state.json and alerts.jsonl in the configured state directory. SIGHUP reloads \
            the configuration (an invalid one is logged and the running one kept); SIGTERM or SIGINT stop \
            within 2 seconds. Logs go to stderr with syslog priority prefixes for journald.
            """
    )

    @Option(name: .long, help: "The configuration file.")
    var config: String

    @Option(name: .long, help: .hidden)
    var testSpeedup: Int64 = 1

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard testSpeedup >= 1 else { throw ValidationError("--test-speedup must be at least 1") }
    }

    func run() async throws {
        CookieKnowledge.preloadOpenCookieDatabase()
        let inbox = Daemon.Inbox()
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = JournalLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "cookiewatch")
        // Under systemd stderr goes to the journal: each configuration error is one line at err.
        let configuration: Configuration
        do {
            configuration = try Configuration.load(path: config)
        } catch {
            for line in error.description.split(separator: "\n") { logger.error("\(line)") }
            throw ExitCode(2)
        }
        let daemon: Daemon
        do {
            daemon = try Daemon(
                configuration: configuration, configPath: config, environment: ProcessInfo.processInfo.environment,
                speedup: testSpeedup, logger: logger, inbox: inbox)
        } catch {
            logger.critical("cannot start: \(error.message)")
            throw ExitCode(error.exitCode)
        }
        let code = await daemon.run()
        if code != 0 { throw ExitCode(code) }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
