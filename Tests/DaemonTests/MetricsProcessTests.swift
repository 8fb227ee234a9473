import Foundation
import ProcessTestSupport
import Testing
import Watch

@Suite("Prometheus metrics, scraped by a real Prometheus", .serialized)
struct MetricsProcessTests {
    func metricsURL(_ daemon: ChildProcess) -> String? { DaemonFixture.metricsURL(daemon) }

    @Test("Prometheus scrapes the daemon; PromQL gives the site's findings count; promtool accepts the output")
    func scrapedByPrometheus() async throws {
        let fixture = try DaemonFixture()
        fixture.setExtra(["_ga", "_fbp"])
        try fixture.writeConfig(paths: ["/", "/a"], metrics: true)
        // The same audit, one-shot: how many findings the site has.
        let scan = try await ChildProcess.run(["scan", "--config", fixture.configPath, "--format", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any]
        let expected = try #require(document?["findings"] as? [[String: Any]], "scan: \(scan.stderr)").count
        #expect(expected >= 2, "two undeclared cookies at least")

        let daemon = try fixture.start()
        defer { daemon.send(SIGKILL) }
        #expect(await eventually(within: 10) { metricsURL(daemon) != nil }, "stderr: \(daemon.stderr)")
        let url = try #require(metricsURL(daemon))
        #expect(url.hasPrefix("http://127.0.0.1:"))
        #expect(
            await eventually(within: 15) {
                try AlertmanagerProcess.get(url).count > 0 && fixture.historyLines().count >= 2
            })

        let prometheus = try await PrometheusProcess(
            scraping: String(url.dropFirst("http://".count).dropLast("/metrics".count)))
        defer { prometheus.stop() }
        var findings: [(labels: [String: String], value: Double)] = []
        let answered = await eventually(within: 30) {
            findings = try prometheus.query(#"sum by (site) (cookiewatch_findings{site="shop"})"#)
            return findings.first?.value == Double(expected)
        }
        #expect(
            answered,
            "PromQL gave \(findings), scan found \(expected); target: \(String(describing: try? prometheus.target()))")
        #expect(findings.first?.labels["site"] == "shop")
        let stored = try prometheus.query(#"cookiewatch_cookies_stored{site="shop"}"#)
        #expect(stored.first?.value == 3, "sessionid, _ga and _fbp")
        let variants = try prometheus.query(#"cookiewatch_page_variants{site="shop"}"#)
        #expect(variants.first?.value == 2)
        let scans = try prometheus.query(#"cookiewatch_scans_total{site="shop"}"#)
        #expect((scans.first?.value ?? 0) >= 2)
        let visits = try prometheus.query(#"cookiewatch_scan_duration_seconds_count{site="shop"}"#)
        #expect((visits.first?.value ?? 0) >= 2)
        let rounds = try prometheus.query(#"cookiewatch_last_successful_round_timestamp_seconds{site="shop"}"#)
        #expect(abs((rounds.first?.value ?? 0) - Date().timeIntervalSince1970) < 120)
        let lines = try prometheus.query("cookiewatch_history_lines_written_total")
        #expect((lines.first?.value ?? 0) >= 2)

        // promtool, the format's own linter, on what the daemon serves; no value and no URL in it.
        let body = try AlertmanagerProcess.get(url)
        let text = String(decoding: body, as: UTF8.self)
        let promtool = try await ChildProcess.run(
            ["check", "metrics"], binary: URL(fileURLWithPath: "/usr/bin/promtool"), stdin: body)
        #expect(promtool.status == 0, "promtool: \(promtool.stdout) \(promtool.stderr)\n\(text)")
        #expect(!text.contains(fixture.canary))
        #expect(!text.contains("http://"))
        // Another path is 404; a POST is refused.
        let curl = URL(fileURLWithPath: "/usr/bin/curl")
        let status = { (arguments: [String]) in
            try await ChildProcess.run(["-s", "-o", "/dev/null", "-w", "%{http_code}"] + arguments, binary: curl).stdout
        }
        #expect(try await status([url.replacingOccurrences(of: "/metrics", with: "/nothing")]) == "404")
        #expect(try await status(["-X", "POST", url]) == "405")
        #expect(try await status([url]) == "200")

        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 2) == 0, "stderr: \(daemon.stderr)")
    }

    @Test("a failing site counts failed scans by code; the findings drop to 0 once fixed, and hold across a restart")
    func failuresAndRestart() async throws {
        let fixture = try DaemonFixture()
        fixture.setExtra(["_ga"])
        try fixture.writeConfig(paths: ["/"], metrics: true)
        var daemon = try fixture.start()
        #expect(await eventually(within: 10) { metricsURL(daemon) != nil })
        var url = try #require(metricsURL(daemon))
        func sample(_ series: String) -> Double? { DaemonFixture.sample(series, at: url) }
        let undeclared = #"cookiewatch_findings{site="shop",kind="undeclared",severity="high"}"#
        #expect(await eventually(within: 15) { sample(undeclared) == 1 })
        fixture.setFailing(true)
        #expect(
            await eventually(within: 15) {
                (sample(#"cookiewatch_scans_failed_total{site="shop",code="network"}"#) ?? 0) >= 1
            })
        fixture.setFailing(false)
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 2) == 0)

        // Restarted: the standing findings come from the saved state before any new round.
        daemon = try fixture.start()
        defer { daemon.send(SIGKILL) }
        #expect(await eventually(within: 10) { metricsURL(daemon) != nil })
        url = try #require(metricsURL(daemon))
        #expect(sample(undeclared) == 1, "from the saved state at start")
        fixture.setExtra([])
        #expect(await eventually(within: 15) { sample(undeclared) == 0 })
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 2) == 0)
    }

    @Test("pending webhook events: counted as they wait, read from the saved state at start, 0 once accepted")
    func webhookBacklog() async throws {
        let fixture = try DaemonFixture()
        fixture.setWebhookStatus(503)
        fixture.setExtra(["_ga"])
        try fixture.writeConfig(paths: ["/"], metrics: true)
        var daemon = try fixture.start()
        #expect(await eventually(within: 10) { metricsURL(daemon) != nil })
        var url = try #require(metricsURL(daemon))
        func pending() -> Double? { DaemonFixture.sample("cookiewatch_webhook_pending_events", at: url) }
        #expect(await eventually(within: 15) { (pending() ?? 0) >= 1 }, "stderr: \(daemon.stderr)")
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 2) == 0)
        let saved = try StateStore.peek(stateDirectory: fixture.state.path)?.webhookPending?.count ?? 0
        #expect(saved >= 1)

        // Restarted with the webhook still down: the backlog is there before anything is delivered.
        daemon = try fixture.start()
        #expect(await eventually(within: 10) { metricsURL(daemon) != nil })
        url = try #require(metricsURL(daemon))
        #expect(await eventually(within: 5) { (pending() ?? 0) >= Double(saved) })
        fixture.setWebhookStatus(200)
        #expect(await eventually(within: 20) { pending() == 0 }, "stderr: \(daemon.stderr)")
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 2) == 0)
    }
}
