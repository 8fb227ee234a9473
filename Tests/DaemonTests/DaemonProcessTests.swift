import Foundation
import ProcessTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `cookiewatch run` as systemd runs it: the real binary against a local site, scanning every second
/// (`--test-speedup 60` turns each configured minute into a second).
@Suite("cookiewatch run, as a process", .serialized)
struct DaemonProcessTests {
    @Test("a new cookie fires one alert, repeats on schedule, resolves; Alertmanager, webhook and sd_notify follow")
    func alertLifecycle() async throws {
        let fixture = try DaemonFixture()
        let manager = try AlertmanagerProcess()
        defer { manager.stop() }
        let notify = try NotifySocket()
        try fixture.writeConfig(paths: ["/", "/a"], repeatMinutes: 3, alertmanager: manager.baseURL)
        let daemon = try fixture.start(notify: notify)
        #expect(await eventually(within: 10) { notify.messages.contains { $0.contains("READY=1") } })
        #expect(await eventually(within: 10) { fixture.historyLines().count >= 2 })

        fixture.setExtra(["_ga"])
        let firing = await eventually(within: 15) {
            try fixture.alertEvents().contains { $0.event == "firing" && $0.kind == "undeclared" && $0.cookie == "_ga" }
        }
        #expect(firing, "stderr: \(daemon.stderr)")
        #expect(
            await eventually(within: 10) {
                try manager.activeAlerts().contains {
                    ($0["labels"] as? [String: String])?["cookie"] == "_ga"
                        && ($0["labels"] as? [String: String])?["kind"] == "undeclared"
                }
            })
        #expect(
            await eventually(within: 15) {
                try fixture.alertEvents().contains { $0.event == "repeat" && $0.kind == "undeclared" }
            })

        fixture.setExtra([])
        #expect(
            await eventually(within: 15) {
                try fixture.alertEvents().contains { $0.event == "resolved" && $0.kind == "undeclared" }
            })
        #expect(
            await eventually(within: 10) {
                try !manager.activeAlerts().contains { ($0["labels"] as? [String: String])?["cookie"] == "_ga" }
            })
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 2) == 0, "stderr: \(daemon.stderr)")

        let undeclared = try fixture.alertEvents().filter { $0.kind == "undeclared" && $0.cookie == "_ga" }
        let transitions = undeclared.map(\.event)
        #expect(transitions.first == "firing" && transitions.last == "resolved")
        #expect(transitions.filter { $0 == "firing" }.count == 1)
        #expect(transitions.filter { $0 == "resolved" }.count == 1)
        #expect(transitions.dropFirst().dropLast().allSatisfy { $0 == "repeat" } && transitions.count >= 3)
        #expect(Set(undeclared.map(\.alert)).count == 1)

        // The webhook got each event once, with a distinct idempotency key, and never a value.
        let bodies = fixture.webhookBodies
        #expect(
            bodies.filter { $0.contains("\"event\":\"firing\"") && $0.contains("\"kind\":\"undeclared\"") }.count == 1)
        let ids = bodies.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .compactMap {
                $0["id"] as? String
            }
        #expect(ids.count == bodies.count && Set(ids).count == ids.count)
        #expect(
            fixture.server.requests.filter { $0.path == "/hook" }.allSatisfy {
                $0.header("Authorization") == "Bearer \(fixture.tokenCanary)"
            })

        // sd_notify: READY first, STOPPING last, status lines in between.
        let messages = notify.messages
        #expect(messages.first?.contains("READY=1") == true)
        #expect(messages.last == "STOPPING=1")
        #expect(messages.contains { $0.hasPrefix("STATUS=2 pages, ") && $0.contains("1 alert firing") })

        // No canary anywhere: files, logs, Alertmanager, webhook bodies.
        let outputs = [
            fixture.everythingWritten(), daemon.stderr, daemon.stdout, bodies.joined(),
            String(decoding: try AlertmanagerProcess.get("\(manager.baseURL)/api/v2/alerts"), as: UTF8.self),
        ].joined()
        #expect(!outputs.contains(fixture.canary))
        #expect(!outputs.contains(fixture.tokenCanary))
        #expect(outputs.contains("sessionid"))
    }
}
