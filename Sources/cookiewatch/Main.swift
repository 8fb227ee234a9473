import ArgumentParser
import Foundation
import Transport

/// Exit codes: 0 done; 1 findings at or above --fail-on; 2 usage or configuration error; 3 internal failure.
@main
enum Main {
    static func main() async {
        ProcessMemory.returnLargeBlocksWhenFreed()
        do {
            var command = try CookieWatch.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("cookiewatch: \(failure.message)\n".utf8))
            exit(failure.exitCode)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = CookieWatch.exitCode(for: error)
            let message = CookieWatch.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exit(0)
            }
            FileHandle.standardError.write(Data("\(message)\n".utf8))
            // ArgumentParser's usage errors (EX_USAGE) are our 2; anything unexpected is an internal failure.
            exit(code == .validationFailure ? 2 : 3)
        }
    }
}

/// An error the command line reports as one line on stderr with a chosen exit code.
struct CommandFailure: Error {
    let exitCode: Int32
    let message: String

    /// Bad arguments or configuration: exit 2.
    static func usage(_ message: String) -> CommandFailure { CommandFailure(exitCode: 2, message: message) }
    /// Something that should not happen: exit 3.
    static func internalFailure(_ message: String) -> CommandFailure { CommandFailure(exitCode: 3, message: message) }
}
