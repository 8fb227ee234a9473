import ArgumentParser
import Browser
import Config
import Foundation

/// `cookiewatch check-config`: validates the config and every charter it names.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and every charter it names.",
        discussion: """
            Prints a one-line summary and exits 0, or prints every error (file, key path, what was \
            expected, line and column) on stderr and exits 2. When a site uses the browser engine, \
            Chromium must be installed and recent enough.
            """
    )

    @Option(name: .long, help: "The configuration file.")
    var config: String

    func run() async throws {
        let configuration = try loadConfiguration(config)
        var summary = configuration.summary
        if configuration.usesBrowser {
            do {
                let chromium = try ChromiumInstallation.locate(configuration.browser.binary)
                summary += "; browser engine: \(chromium.version) (\(chromium.binary))"
            } catch {
                throw CommandFailure.usage("\(config): \(error.description)")
            }
        }
        print(summary)
    }
}
