import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real Prometheus Alertmanager (Debian `prometheus-alertmanager`), started on 127.0.0.1 for the test.
public final class AlertmanagerProcess {
    private(set) var process: Process
    let directory: URL
    public private(set) var port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts Alertmanager and waits (polling without holding a thread) until it answers `/-/ready`.
    public init() async throws {
        guard
            let binary = ["/usr/bin/prometheus-alertmanager", "/usr/bin/alertmanager"].first(
                where: FileManager.default.isExecutableFile)
        else {
            throw TestFailure(
                "prometheus-alertmanager is not installed: apt-get install prometheus-alertmanager (scripts/test does)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cw-am-\(UUID().uuidString)")
        directory = dir
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        do {
            try Data("route:\n  receiver: none\nreceivers:\n  - name: none\n".utf8).write(
                to: dir.appendingPathComponent("am.yml"))
            (process, port) = try await Self.startListening(
                binary, name: "Alertmanager", readyPath: "/-/ready",
                arguments: { port in
                    [
                        "--config.file=\(dir.path)/am.yml", "--storage.path=\(dir.path)/data",
                        "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
                    ]
                })
        } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
    }

    /// Starts `binary` on a free loopback port and waits (polling without holding a thread) until it
    /// answers `readyPath`. A free port can be taken by another test's server before the child binds it:
    /// then it exits and is started again on another port. Under a loaded CI machine it may take a while.
    static func startListening(
        _ binary: String, name: String, readyPath: String, arguments: (Int) -> [String]
    ) async throws -> (Process, Int) {
        var process = Process()
        var port = 0
        for _ in 0..<3 {
            port = try freePort()
            process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments(port)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<300 where process.isRunning {
                if (try? get("http://127.0.0.1:\(port)\(readyPath)")) != nil { return (process, port) }
                try? await Task.sleep(for: .milliseconds(100))
            }
            if process.isRunning { break }
        }
        if process.isRunning { process.terminate() }
        throw TestFailure("\(name) did not become ready on 127.0.0.1:\(port)")
    }

    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The alerts Alertmanager holds as active, read through its own API.
    public func activeAlerts() throws -> [[String: Any]] {
        let data = try Self.get("\(baseURL)/api/v2/alerts?active=true&silenced=false&inhibited=false")
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    public static func get(_ url: String) throws -> Data {
        guard let address = URL(string: url) else { throw TestFailure("bad URL \(url)") }
        let data = try Data(contentsOf: address)
        return data
    }

    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestFailure("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A test precondition that does not hold, with what to do about it.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
