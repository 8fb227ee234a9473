import ArgumentParser
import Config
import Foundation

/// Loads a configuration for a command. Errors go to stderr one per line, as `file: key.path: what
/// (line L, column C)` like a compiler's diagnostics, and the command exits 2.
func loadConfiguration(_ path: String) throws -> Configuration {
    do {
        return try Configuration.load(path: path)
    } catch {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(2)
    }
}
