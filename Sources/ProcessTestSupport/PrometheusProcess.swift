import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real Prometheus server (Debian `prometheus`), started on 127.0.0.1 for the test, scraping one
/// target every second.
public final class PrometheusProcess {
    private var process: Process
    let directory: URL
    public private(set) var port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts Prometheus scraping `target` (`host:port`, path `/metrics`) and waits until it is ready.
    public init(scraping target: String) async throws {
        let binary = "/usr/bin/prometheus"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestFailure("prometheus is not installed: apt-get install prometheus (scripts/test does)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cw-prom-\(UUID().uuidString)")
        directory = dir
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(
            """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: cookiewatch
                static_configs:
                  - targets: ['\(target)']

            """.utf8
        ).write(to: dir.appendingPathComponent("prometheus.yml"))
        do {
            (process, port) = try await AlertmanagerProcess.startListening(
                binary, name: "Prometheus", readyPath: "/-/ready",
                arguments: { port in
                    [
                        "--config.file=\(dir.path)/prometheus.yml",
                        "--storage.tsdb.path=\(dir.path)/data", "--web.listen-address=127.0.0.1:\(port)",
                    ]
                })
        } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
    }

    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// An instant PromQL query through the HTTP API: each result's labels and value.
    public func query(_ promql: String) throws -> [(labels: [String: String], value: Double)] {
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "query", value: promql)]
        let query = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        let data = try AlertmanagerProcess.get("\(baseURL)/api/v1/query?\(query)")
        guard let body = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            body["status"] as? String == "success", let result = (body["data"] as? [String: Any])?["result"] as? [Any]
        else { throw TestFailure("unexpected answer to \(promql): \(String(decoding: data, as: UTF8.self))") }
        return result.compactMap { item in
            guard let series = item as? [String: Any], let value = series["value"] as? [Any],
                let text = value.last as? String, let number = Double(text)
            else { return nil }
            return (series["metric"] as? [String: String] ?? [:], number)
        }
    }

    /// The health of the scrape target as Prometheus last saw it ("up", "down", "unknown") and its error.
    public func target() throws -> (health: String, error: String)? {
        let data = try AlertmanagerProcess.get("\(baseURL)/api/v1/targets")
        let body = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let active = (body?["data"] as? [String: Any])?["activeTargets"] as? [[String: Any]]
        guard let first = active?.first else { return nil }
        return (first["health"] as? String ?? "", first["lastError"] as? String ?? "")
    }
}
