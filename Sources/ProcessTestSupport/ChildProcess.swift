import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process for tests that runs while the test goes on: signals, stderr, and an exit that is
/// awaited by polling (never a blocking wait on the cooperative pool).
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    public let directory: URL
    private let errors: URL
    private let output: URL

    /// The `cookiewatch` binary SwiftPM built next to the running test bundle.
    public static let cookiewatch: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("cookiewatch").path), dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("cookiewatch")
    }()

    /// Starts `binary` with `arguments`; stdout and stderr go to files read by `stdout` and `stderr`.
    public init(_ arguments: [String], binary: URL = cookiewatch, environment: [String: String]? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        errors = directory.appendingPathComponent("stderr")
        output = directory.appendingPathComponent("stdout")
        try Data().write(to: errors)
        try Data().write(to: output)
        process.executableURL = binary
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    public var pid: Int32 { process.processIdentifier }
    public var stderr: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }
    public var stdout: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// The exit status once the process has exited, nil if it is still running after `seconds`.
    public func exit(within seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Kills the process (SIGKILL) and waits for it to be gone.
    public func kill9() async {
        send(SIGKILL)
        _ = await exit(within: 10)
    }
}

/// Waits until `condition` holds, polling every 20 ms; false if it still does not after `seconds`.
/// A condition that throws (a file not written yet) counts as not holding.
public func eventually(within seconds: Double, _ condition: () throws -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? condition()) == true { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return (try? condition()) == true
}
