import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process for tests that runs while the test goes on: signals, stderr, and an exit that is
/// awaited by polling (never a blocking wait on the cooperative pool). `run` instead runs one to its end.
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

    /// What a child run to its end left: its exit status, and what it wrote on stdout and stderr.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `binary` with `arguments` to its end, as a user would: `stdin` is fed from a file, stdout and
    /// stderr go to files read once it has exited. The exit is awaited through `terminationHandler`, so the
    /// wait holds no thread of the cooperative pool (2 threads on 2 cores, shared with the timing tests).
    public static func run(
        _ arguments: [String], binary: URL = cookiewatch, stdin: Data = Data(), environment: [String: String]? = nil
    ) async throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cw-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("stdin")
        let output = dir.appendingPathComponent("stdout")
        let errors = dir.appendingPathComponent("stderr")
        try stdin.write(to: input)
        try Data().write(to: output)
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            // Installed before `run()`, so an exit however early still resumes the continuation.
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: output), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errors), as: UTF8.self))
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
