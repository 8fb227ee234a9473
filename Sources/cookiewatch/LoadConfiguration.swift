import Config
import Foundation

/// Loads a configuration for a command; every error goes to stderr and the command exits 2.
func loadConfiguration(_ path: String) throws -> Configuration {
    do {
        return try Configuration.load(path: path)
    } catch {
        throw CommandFailure(exitCode: 2, message: error.description.replacingOccurrences(of: "\n", with: "\ncookiewatch: "))
    }
}
