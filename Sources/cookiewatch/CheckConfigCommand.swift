import ArgumentParser
import Config
import Foundation

/// `cookiewatch check-config`: validates the config and every charter it names.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and every charter it names.",
        discussion: """
            Prints a one-line summary and exits 0, or prints every error (file, key path, what was \
            expected, line and column) on stderr and exits 2.
            """
    )

    @Option(name: .long, help: "The configuration file.")
    var config: String

    func run() async throws {
        print(try loadConfiguration(config).summary)
    }
}
