import Foundation
import ProcessTestSupport
import Testing
import Watch

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
        let manager = try await AlertmanagerProcess()
        defer { manager.stop() }
        let notify = try NotifySocket()
        try fixture.writeConfig(paths: ["/", "/a"], repeatMinutes: 3, alertmanager: manager.baseURL)
        let daemon = try fixture.start(notify: notify, watchdogMicroseconds: 400_000)
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

        // sd_notify: READY first, STOPPING last, status lines and watchdog pings (every 0.2 s) between.
        let messages = notify.messages
        #expect(messages.first?.contains("READY=1") == true)
        #expect(messages.filter { $0 == "WATCHDOG=1" }.count >= 10)
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

    @Test("a site that cannot be fetched: one warning per page per window, scan-error after 3 rounds, no cookie gone")
    func outage() async throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(paths: ["/"])
        fixture.setExtra(["_ga"])
        let daemon = try fixture.start()
        #expect(
            await eventually(within: 10) {
                try fixture.alertEvents().contains { $0.event == "firing" && $0.cookie == "_ga" }
            })
        fixture.setFailing(true)
        #expect(
            await eventually(within: 20) {
                try fixture.alertEvents().contains { $0.event == "firing" && $0.kind == "scan-error" }
            }, "\(daemon.stderr)")
        let failures = fixture.historyLines().filter { $0.contains(#""type":"failure""#) }
        #expect(failures.count >= 3)
        // Failures are logged once per page per window (an hour, a minute at the test speedup).
        #expect(daemon.stderr.components(separatedBy: "<4>scan failed").count - 1 == 1, "\(daemon.stderr)")
        fixture.setFailing(false)
        #expect(
            await eventually(within: 20) {
                try fixture.alertEvents().contains { $0.event == "resolved" && $0.kind == "scan-error" }
            })
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 2) == 0)
        // The outage neither resolved nor re-fired the cookie's alert, and no cookie "disappeared".
        let ga = try fixture.alertEvents().filter { $0.cookie == "_ga" }
        #expect(!ga.isEmpty && !ga.contains { $0.event == "resolved" })
        for alert in Set(ga.map(\.alert)) {
            #expect(ga.filter { $0.alert == alert && $0.event == "firing" }.count == 1)
        }
        #expect(!fixture.historyLines().contains { $0.contains(#""change":"disappeared""#) })
    }

    @Test("a webhook that is down keeps its events in the saved state; after a restart they arrive with the same key")
    func webhookOutage() async throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(paths: ["/"])
        fixture.setWebhookStatus(503)
        fixture.setExtra(["_ga"])
        let first = try fixture.start()
        let hooks = { fixture.server.requests.filter { $0.path == "/hook" } }
        #expect(await eventually(within: 10) { !hooks().isEmpty })
        first.send(SIGTERM)
        #expect(await first.exit(within: 2) == 0)
        let pending = { try StateStore.peek(stateDirectory: fixture.state.path)?.webhookPending ?? [] }
        #expect(try !pending().isEmpty)
        let key = try #require(hooks().first?.header("Idempotency-Key"))

        fixture.setWebhookStatus(200)
        let tried = hooks().count
        let second = try fixture.start()
        #expect(
            await eventually(within: 10) { hooks().dropFirst(tried).contains { $0.header("Idempotency-Key") == key } })
        #expect(
            await eventually(within: 10) { try pending().isEmpty })
        second.send(SIGTERM)
        #expect(await second.exit(within: 2) == 0)
        // Accepted once: the key is not sent again after the 200.
        let accepted = hooks().dropFirst(tried).filter { $0.header("Idempotency-Key") == key }
        #expect(accepted.count == 1)
    }

    @Test("a webhook that refuses the token (401) keeps its events pending; a missing token file is a config error")
    func webhookRefusesToken() async throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(paths: ["/"])
        fixture.setWebhookStatus(401)
        fixture.setExtra(["_ga"])
        let daemon = try fixture.start()
        let hooks = { fixture.server.requests.filter { $0.path == "/hook" } }
        #expect(await eventually(within: 10) { hooks().count >= 2 }, "retried with backoff: \(daemon.stderr)")
        // Five attempts with backoff (about 8 s on average), then one line at err for the window.
        #expect(
            await eventually(within: 40) { daemon.stderr.contains("<3>webhook delivery failed") }, "\(daemon.stderr)")
        #expect(try StateStore.peek(stateDirectory: fixture.state.path)?.webhookPending?.isEmpty == false)
        let key = try #require(hooks().first?.header("Idempotency-Key"))

        // The token goes: a reload keeps the running configuration and says why.
        let token = URL(fileURLWithPath: fixture.directory.appendingPathComponent("webhook-token").path)
        let saved = try Data(contentsOf: token)
        try FileManager.default.removeItem(at: token)
        daemon.send(SIGHUP)
        #expect(
            await eventually(within: 10) {
                daemon.stderr.contains("reload failed, keeping the running configuration: \(fixture.configPath): ")
                    && daemon.stderr.contains("alerts.webhook.tokenFile: the webhook token file")
            }, "\(daemon.stderr)")
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 2) == 0)
        #expect(daemon.stderr.components(separatedBy: "<3>webhook delivery failed").count - 1 == 1, "\(daemon.stderr)")
        #expect(!daemon.stderr.contains("dropped"))

        // check-config and run refuse it, naming the key and the file.
        let check = try await ChildProcess.run(["check-config", "--config", fixture.configPath])
        #expect(check.status == 2)
        #expect(
            check.stderr.contains("alerts.webhook.tokenFile: the webhook token file \"\(token.path)\" does not exist"))
        let refused = try fixture.start()
        #expect(await refused.exit(within: 10) == 2)
        #expect(refused.stderr.contains("alerts.webhook.tokenFile"), "\(refused.stderr)")

        // With the token back and accepted, the pending event arrives under its first key.
        try saved.write(to: token)
        fixture.setWebhookStatus(200)
        let tried = hooks().count
        let second = try fixture.start()
        #expect(
            await eventually(within: 10) { hooks().dropFirst(tried).contains { $0.header("Idempotency-Key") == key } })
        second.send(SIGTERM)
        #expect(await second.exit(within: 2) == 0)
    }

    @Test("10,000 pending webhook events: acknowledgements are saved in batches, SIGTERM within 2 s, none lost")
    func largeWebhookBacklog() async throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(paths: ["/"])
        let since = Date(timeIntervalSince1970: 1_795_824_000)
        let events = (0..<10_000).map { n in
            AlertEvent(
                event: .firing, alert: String(format: "%016x", n), time: since.addingTimeInterval(Double(n)),
                since: since,
                finding: AlertFinding(
                    id: String(format: "%016x", n), kind: "undeclared", severity: "high", site: "shop",
                    cookie: "c\(n)", message: "\"c\(n)\" is stored but the charter does not declare it",
                    pages: [PageKey(url: fixture.server.url("/"), variant: "default")]))
        }
        var state = WatchState()
        state.webhookPending = events
        try FileManager.default.createDirectory(at: fixture.state, withIntermediateDirectories: true)
        let store = StateStore(stateDirectory: fixture.state.path)
        _ = try store.load()
        try store.snapshot(state)

        let daemon = try fixture.start()
        let hooks = { fixture.server.requests.filter { $0.path == "/hook" }.count }
        // Generous: delivery speed is not what this checks, and browser suites may be loading both cores.
        #expect(await eventually(within: 90) { hooks() >= 2_000 }, "\(daemon.stderr)")
        let asked = Date()
        daemon.send(SIGTERM)
        let status = await daemon.exit(within: 10)
        let took = Date().timeIntervalSince(asked)
        #expect(status == 0 && took < 2, "exit \(String(describing: status)) after \(took) s")

        // Every event is either still pending or was delivered: none lost.
        let saved: [AlertEvent] = try StateStore.peek(stateDirectory: fixture.state.path)?.webhookPending ?? []
        let pending = Set(saved.map(\.key))
        let delivered = Set(
            fixture.server.requests.filter { $0.path == "/hook" }.compactMap { $0.header("Idempotency-Key") })
        #expect(pending.union(delivered) == Set(events.map(\.key)))
        #expect(pending.count < 10_000 - 1_000, "acknowledgements were saved as they came")
    }

    @Test("a baseline pinned while the daemon runs: the next changed list carries its drift from the pin")
    func baseline() async throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(paths: ["/"])
        let daemon = try fixture.start()
        #expect(await eventually(within: 10) { fixture.historyLines().count >= 1 })
        let pin = try ChildProcess(["baseline", "pin", "--config", fixture.configPath, "--by", "dpo"])
        #expect(await pin.exit(within: 30) == 0, "\(pin.stderr)")
        fixture.setExtra(["_ga"])
        #expect(
            await eventually(within: 10) {
                fixture.historyLines().contains {
                    $0.contains(#""baselineDrift":[{"after":"#)
                        && $0.contains(
                            #""change":"appeared","cookie":{"domain":"127.0.0.1","hostOnly":true,"name":"_ga""#)
                }
            }, "\(fixture.historyLines().suffix(2)) \(daemon.stderr)")
        fixture.setExtra([])
        #expect(await eventually(within: 10) { fixture.historyLines().last?.contains(#""baselineDrift":[]"#) == true })
        #expect(daemon.stderr.contains("<5>baseline loaded: shop, last pinned"))
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 2) == 0)
    }

    @Test("SIGHUP with a broken config keeps scanning with the running one; a good one picks up new pages")
    func reload() async throws {
        let fixture = try DaemonFixture()
        let notify = try NotifySocket()
        try fixture.writeConfig(paths: ["/"])
        let daemon = try fixture.start(notify: notify)
        #expect(await eventually(within: 10) { fixture.historyLines().count >= 2 })

        let good = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
        try Data(good.replacingOccurrences(of: "\"interval\":\"1m\"", with: "\"interval\":\"soon\"").utf8).write(
            to: URL(fileURLWithPath: fixture.configPath))
        daemon.send(SIGHUP)
        #expect(
            await eventually(within: 5) {
                notify.messages.contains { $0.contains("STATUS=") && $0.contains("reload failed") }
            }, "messages: \(notify.messages)")
        #expect(daemon.stderr.contains("<3>reload failed, keeping the running configuration: \(fixture.configPath)"))
        let before = fixture.historyLines().count
        #expect(await eventually(within: 10) { fixture.historyLines().count >= before + 2 })
        #expect(!fixture.historyLines().contains { $0.contains(fixture.server.url("/b")) })

        try fixture.writeConfig(paths: ["/", "/b"])
        daemon.send(SIGHUP)
        #expect(
            await eventually(within: 10) { fixture.historyLines().contains { $0.contains(fixture.server.url("/b")) } })
        #expect(
            await eventually(within: 5) {
                let status = notify.messages.last { $0.contains("STATUS=") } ?? ""
                return status.contains("STATUS=2 pages") && !status.contains("reload failed")
            }, "messages: \(notify.messages)")

        // Each reload: RELOADING=1 with MONOTONIC_USEC in one datagram, then READY=1.
        let messages = notify.messages
        let reloads = messages.enumerated().filter { $0.element.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") }
        #expect(reloads.count == 2)
        for reload in reloads {
            #expect(messages[(reload.offset + 1)...].first { $0.contains("READY=1") } != nil)
        }
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 2) == 0)
    }

    @Test("SIGTERM in the middle of a scan: exit 0 within 2 s, the history verifies, nothing torn")
    func stopMidScan() async throws {
        let fixture = try DaemonFixture()
        let notify = try NotifySocket()
        try fixture.writeConfig(paths: ["/", "/a", "/b"])
        fixture.setDelay(.seconds(20))
        let daemon = try fixture.start(notify: notify)
        #expect(await eventually(within: 10) { fixture.server.requests.filter { $0.path != "/hook" }.count >= 3 })
        let asked = Date()
        daemon.send(SIGTERM)
        let status = await daemon.exit(within: 2)
        #expect(status == 0, "stderr: \(daemon.stderr)")
        #expect(Date().timeIntervalSince(asked) < 2)
        #expect(notify.messages.last == "STOPPING=1")
        let verified = try await fixture.verify()
        #expect(verified.status == 0, "\(verified.output)")
        let history = fixture.state.appendingPathComponent("history")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: history.path)) ?? []
        #expect(!files.contains { $0.hasPrefix("quarantine") })
        for file in files {
            let data = try Data(contentsOf: history.appendingPathComponent(file))
            #expect(data.isEmpty || data.last == 0x0A)
        }
        // The cancelled visits were not recorded as failures: they are due again at the next start.
        #expect(!fixture.historyLines().contains { $0.contains("cancelled") })
    }

    @Test(
        "a browser killed or stopped mid-visit: the visit is a recorded failure, the browser restarts, the daemon lives"
    )
    func browserCrashAndHang() async throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(paths: ["/hang", "/"], browser: true, metrics: true)
        let daemon = try fixture.start()
        func chromium() -> Int32? {
            // The browser is the daemon's direct child (its renderers are the browser's).
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            for entry in entries where entry.first?.isNumber == true {
                guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 1, Int32(fields[1]) == daemon.pid, stat.contains("(chromium") { return Int32(entry) }
            }
            return nil
        }
        func lines(_ code: String) -> Int { fixture.historyLines().filter { $0.contains("\"\(code)\"") }.count }
        func visits(_ path: String) -> Int { fixture.server.requests.filter { $0.path == path }.count }

        // A crash: the browser is killed while /hang loads.
        #expect(await eventually(within: 30) { visits("/never.gif") >= 1 })
        let first = try #require(chromium())
        kill(first, SIGKILL)
        #expect(await eventually(within: 30) { lines("browser-crashed") >= 1 }, "\(fixture.historyLines())")
        // A hang: the new browser stops answering while /hang loads again (a minute later, a second here).
        #expect(await eventually(within: 30) { chromium().map { $0 != first } == true && visits("/never.gif") >= 2 })
        let second = try #require(chromium())
        kill(second, SIGSTOP)
        #expect(await eventually(within: 45) { lines("browser-timeout") >= 1 }, "\(fixture.historyLines())")
        // A third browser serves the next visits, and the daemon is alive throughout.
        let pages = fixture.historyLines().filter { $0.contains("\"type\":\"cookies\"") || $0.contains("unchanged") }
            .count
        #expect(
            await eventually(within: 30) {
                fixture.historyLines().filter { $0.contains("\"type\":\"cookies\"") || $0.contains("unchanged") }.count
                    > pages
            })
        #expect(chromium().map { $0 != first && $0 != second } == true)
        // Prometheus sees both replacements and the failures by code.
        let url = try #require(DaemonFixture.metricsURL(daemon))
        #expect((DaemonFixture.sample("cookiewatch_browser_restarts_total", at: url) ?? 0) >= 2)
        for code in ["browser-crashed", "browser-timeout"] {
            let series = "cookiewatch_scans_failed_total{site=\"shop\",code=\"\(code)\"}"
            #expect((DaemonFixture.sample(series, at: url) ?? 0) >= 1, "\(code)")
        }
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 10) == 0, "\(daemon.stderr)")
        #expect(!daemon.stderr.contains(fixture.canary))
        kill(second, SIGKILL)
    }

    @Test("run refuses a broken config (exit 2, naming it) and a second daemon on the same state directory")
    func refusals() async throws {
        let fixture = try DaemonFixture()
        try Data("{\"sites\": 3}".utf8).write(to: URL(fileURLWithPath: fixture.configPath))
        let broken = try fixture.start()
        #expect(await broken.exit(within: 10) == 2)
        #expect(broken.stderr.hasPrefix("<3>\(fixture.configPath): "), "\(broken.stderr)")

        try fixture.writeConfig(paths: ["/"])
        let first = try fixture.start()
        #expect(await eventually(within: 10) { !fixture.historyLines().isEmpty })
        let second = try fixture.start()
        #expect(await second.exit(within: 10) == 2)
        #expect(second.stderr.contains(fixture.state.appendingPathComponent("history").path), "\(second.stderr)")
        first.send(SIGTERM)
        #expect(await first.exit(within: 2) == 0)
    }
}
