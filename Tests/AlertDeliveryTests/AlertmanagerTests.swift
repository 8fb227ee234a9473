import AlertDelivery
import Foundation
import Testing
import Transport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real Prometheus Alertmanager (Debian `prometheus-alertmanager`), started on 127.0.0.1 for the test.
final class AlertmanagerProcess {
    let process = Process()
    let directory: URL
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    init() throws {
        guard
            let binary = ["/usr/bin/prometheus-alertmanager", "/usr/bin/alertmanager"].first(
                where: FileManager.default.isExecutableFile)
        else {
            throw TestFailure(
                "prometheus-alertmanager is not installed: apt-get install prometheus-alertmanager (scripts/test does)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-am-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("route:\n  receiver: none\nreceivers:\n  - name: none\n".utf8).write(
            to: directory.appendingPathComponent("am.yml"))
        port = try Self.freePort()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(directory.path)/am.yml", "--storage.path=\(directory.path)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if (try? Self.get("\(baseURL)/-/ready")) != nil { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw TestFailure("Alertmanager did not become ready on \(baseURL)")
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The alerts Alertmanager holds as active, read through its own API.
    func activeAlerts() throws -> [[String: Any]] {
        let data = try Self.get("\(baseURL)/api/v2/alerts?active=true&silenced=false&inhibited=false")
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    static func get(_ url: String) throws -> Data {
        guard let address = URL(string: url) else { throw TestFailure("bad URL \(url)") }
        let data = try Data(contentsOf: address)
        return data
    }

    static func freePort() throws -> Int {
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

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite("Alertmanager delivery, against a real Alertmanager", .serialized)
struct AlertmanagerTests {
    @Test("a firing alert shows in Alertmanager with its labels; sent again with endsAt past, it is resolved")
    func fireAndResolve() async throws {
        let manager = try AlertmanagerProcess()
        defer { manager.stop() }
        let fetcher = try CurlFetcher()
        defer { fetcher.shutdown() }
        let client = AlertmanagerClient(baseURL: manager.baseURL, fetcher: fetcher)
        let started = Date().addingTimeInterval(-60)  // it began firing a minute ago
        func alert(endsAt: Date) -> AlertmanagerAlert {
            AlertmanagerAlert(
                id: "f46fba9478e51d76", site: "demo", kind: "undeclared", cookie: "_ga", severity: "high",
                message: "\"_ga\" is stored but the charter does not declare it", startsAt: started, endsAt: endsAt)
        }

        let fired = await client.send([alert(endsAt: started.addingTimeInterval(3600))])
        #expect(fired.status == 200 && fired.failure == nil)
        let active = try manager.activeAlerts()
        let labels = try #require(active.first?["labels"] as? [String: String])
        #expect(active.count == 1)
        #expect(
            labels == [
                "alertname": "CookieCharterDrift", "alert_id": "f46fba9478e51d76", "site": "demo", "kind": "undeclared",
                "cookie": "_ga", "severity": "high",
            ])
        #expect(
            (active.first?["annotations"] as? [String: String])?["summary"]
                == "\"_ga\" is stored but the charter does not declare it")

        let resolved = await client.send([alert(endsAt: Date().addingTimeInterval(-1))])
        #expect(resolved.status == 200)
        #expect(try manager.activeAlerts().isEmpty)
    }

    @Test("a malformed alert is refused with http-status and not retried; an unreachable one fails with connect")
    func failures() async throws {
        let manager = try AlertmanagerProcess()
        defer { manager.stop() }
        let fetcher = try CurlFetcher()
        defer { fetcher.shutdown() }
        var client = AlertmanagerClient(baseURL: manager.baseURL, fetcher: fetcher)
        client.firstRetryDelay = .milliseconds(10)
        let now = Date()
        // Alertmanager rejects an alert whose end is before its start.
        let bad = AlertmanagerAlert(
            id: "x", site: "s", kind: "undeclared", cookie: nil, severity: "low", message: "m", startsAt: now,
            endsAt: now.addingTimeInterval(-3600))
        let refused = await client.send([bad])
        #expect(refused.failure?.code == .httpStatus && refused.status == 400)
        #expect(!refused.isRetryable)
        let gone = AlertmanagerClient(baseURL: "http://127.0.0.1:1", fetcher: fetcher)
        let unreachable = await gone.send([bad])
        #expect(unreachable.failure?.code == .connect)
    }
}
