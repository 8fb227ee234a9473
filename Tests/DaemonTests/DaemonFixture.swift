import Foundation
import LocalHTTP
import ProcessTestSupport
import Synchronization
import Testing

/// A site on LocalHTTP whose cookies a test changes between scans, a configuration for it in a
/// temporary directory, and the real `cookiewatch run` started on it with an sd_notify socket.
final class DaemonFixture: @unchecked Sendable {
    /// A value a session cookie carries and a webhook token holds: it must never reach any output.
    let canary = "canary-\(UUID().uuidString)"
    let tokenCanary = "token-canary-\(UUID().uuidString)"
    let directory: URL
    let server: LocalHTTPServer
    /// What the site does now, changed by the test while the daemon runs.
    final class Script: Sendable {
        /// Names of extra undeclared cookies every page sets.
        let extra = Mutex<[String]>([])
        /// How long every page waits before answering (SIGTERM mid-scan).
        let delay = Mutex<Duration>(.zero)
        /// Bodies the webhook received.
        let webhookBodies = Mutex<[String]>([])
        /// Pages answer with a TCP reset instead of a response.
        let failing = Mutex<Bool>(false)
        /// The status the webhook answers with.
        let webhookStatus = Mutex<Int>(200)
    }
    let script = Script()

    func setExtra(_ names: [String]) { script.extra.withLock { $0 = names } }
    func setDelay(_ delay: Duration) { script.delay.withLock { $0 = delay } }
    func setFailing(_ failing: Bool) { script.failing.withLock { $0 = failing } }
    func setWebhookStatus(_ status: Int) { script.webhookStatus.withLock { $0 = status } }
    var webhookBodies: [String] { script.webhookBodies.withLock { $0 } }
    var configPath: String { directory.appendingPathComponent("config.json").path }
    var state: URL { directory.appendingPathComponent("state") }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-daemon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        server = try LocalHTTPServer()
        let canary = canary
        let script = script
        for path in ["/", "/a", "/b", "/c", "/d"] {
            server.route(path) { _ in
                if script.failing.withLock({ $0 }) { return .reset }
                var response = Response.page(
                    setCookies: ["sessionid=\(canary); Path=/; HttpOnly; Max-Age=3600"]
                        + script.extra.withLock { $0 }.map { "\($0)=\(canary)-\($0); Path=/; Max-Age=86400" })
                response.delay = script.delay.withLock { $0 }
                return .respond(response)
            }
        }
        // A page that never finishes loading in a browser: its image is never answered.
        server.route("/hang") { _ in .respond(.page(#"<!doctype html><img src="/never.gif">"#)) }
        server.route("/never.gif") { _ in .hang }
        server.route("/hook") { request in
            script.webhookBodies.withLock { $0.append(String(decoding: request.body, as: UTF8.self)) }
            return .respond(Response(status: script.webhookStatus.withLock { $0 }, body: "ok"))
        }
        try Data(
            #"{"name": "shop", "cookies": [{"name": "sessionid", "provider": "Shop", "purpose": "login", "category": "necessary", "duration": "2 weeks"}]}"#
                .utf8
        ).write(to: directory.appendingPathComponent("charter.json"))
        try Data(tokenCanary.utf8).write(to: directory.appendingPathComponent("webhook-token"))
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes the configuration: `paths` on the local site, scanned every minute (every second at
    /// the tests' speedup of 60), alerts repeated every `repeatMinutes`.
    /// With `metrics`, `/metrics` is served on a free loopback port (the daemon logs which).
    func writeConfig(
        paths: [String], repeatMinutes: Int = 3, alertmanager: String? = nil, browser: Bool = false,
        metrics: Bool = false
    ) throws {
        var alerts: [String: Any] = [
            "repeatInterval": "\(repeatMinutes)m",
            "webhook": [
                "url": server.url("/hook"), "tokenFile": directory.appendingPathComponent("webhook-token").path,
            ],
        ]
        if let alertmanager { alerts["alertmanager"] = ["url": alertmanager] }
        var config: [String: Any] = [
            "schedule": ["interval": "1m", "jitter": "0s"],
            "allowedPrivateNetworks": ["127.0.0.0/8"],
            "stateDirectory": state.path,
            "logsDirectory": directory.appendingPathComponent("logs").path,
            "alerts": alerts,
            "limits": ["totalTimeout": "30s", "concurrency": 4, "perHostConcurrency": 4],
            "sites": [
                [
                    "name": "shop", "charters": ["charter.json"],
                    "variants": [["name": "default", "consent": false]],
                    // Paths with a query share a path, so they need names of their own.
                    "pages": paths.enumerated().map { index, path in
                        path.contains("?") ? ["url": server.url(path), "name": "q\(index)"] : ["url": server.url(path)]
                    },
                ]
            ],
        ]
        if metrics { config["metrics"] = ["listen": "127.0.0.1:0"] }
        if browser {
            config["browser"] = ["settle": "200ms"]
            if var sites = config["sites"] as? [[String: Any]] {
                sites[0]["engine"] = "browser"
                config["sites"] = sites
            }
        }
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]).write(
            to: URL(fileURLWithPath: configPath))
    }

    /// Starts `cookiewatch run` with `notify` as its `NOTIFY_SOCKET`, and systemd's watchdog variable
    /// when `watchdogMicroseconds` is given.
    func start(notify: NotifySocket? = nil, watchdogMicroseconds: Int? = nil) throws -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify?.path
        environment["WATCHDOG_USEC"] = watchdogMicroseconds.map(String.init)
        environment["WATCHDOG_PID"] = nil
        environment["CREDENTIALS_DIRECTORY"] = nil
        return try ChildProcess(["run", "--config", configPath, "--test-speedup", "60"], environment: environment)
    }

    /// The `/metrics` URL `daemon` logged at start (a config written with `metrics`); nil until it did.
    static func metricsURL(_ daemon: ChildProcess) -> String? {
        guard let range = daemon.stderr.range(of: "metrics: serving ") else { return nil }
        return String(daemon.stderr[range.upperBound...].prefix { !$0.isWhitespace })
    }

    /// The value of `series` (name and labels as served) in the metrics at `url`; nil when absent.
    static func sample(_ series: String, at url: String) -> Double? {
        guard let text = try? String(decoding: AlertmanagerProcess.get(url), as: UTF8.self) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap {
            Double($0.split(separator: " ").last ?? "")
        }
    }

    /// The events in `alerts.jsonl` as (event, kind, cookie, alert id).
    func alertEvents() throws -> [(event: String, kind: String, cookie: String, alert: String)] {
        guard let text = try? String(contentsOf: state.appendingPathComponent("alerts.jsonl"), encoding: .utf8) else {
            return []
        }
        return try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let finding = try #require(object["finding"] as? [String: Any])
            return (
                object["event"] as? String ?? "", finding["kind"] as? String ?? "", finding["cookie"] as? String ?? "",
                object["alert"] as? String ?? ""
            )
        }
    }

    /// The history's lines, across segments.
    func historyLines() -> [String] {
        let history = state.appendingPathComponent("history")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: history.path)) ?? []).filter {
            !$0.hasPrefix("quarantine")
        }.sorted()
        return names.flatMap { name in
            ((try? String(contentsOf: history.appendingPathComponent(name), encoding: .utf8)) ?? "").split(
                separator: "\n"
            ).map(String.init)
        }
    }

    /// Every file the daemon wrote, as text, for the canary search.
    func everythingWritten() -> String {
        var text = ""
        let enumerator = FileManager.default.enumerator(atPath: state.path)
        while let name = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: state.appendingPathComponent(name).path) {
                text += String(decoding: data, as: UTF8.self)
            }
        }
        return text
    }

    /// `cookiewatch history verify` on the state directory.
    func verify() async throws -> (status: Int32?, output: String) {
        let child = try ChildProcess(["history", "verify", "--config", configPath])
        let status = await child.exit(within: 30)
        return (status, child.stdout + child.stderr)
    }
}
