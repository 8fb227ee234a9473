import Foundation
import ProcessTestSupport
import Testing
import Watch

#if canImport(Glibc)
    import Glibc
#endif

/// Crash safety: the real daemon killed with SIGKILL at random moments while it scans and alerts.
@Suite("cookiewatch run, killed at random moments", .serialized)
struct KillCycleTests {
    /// 50 in the test suite; `scripts/stress-kill N` runs more.
    static let cycles = ProcessInfo.processInfo.environment["COOKIEWATCH_KILL_CYCLES"].flatMap(Int.init) ?? 50

    @Test("after every SIGKILL the daemon restarts; the history verifies, no alert fires twice, no finding is lost")
    func killCycles() async throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(paths: ["/", "/a", "/b", "/c"], repeatMinutes: 1)
        try await Self.killAndVerify(fixture, cycles: Self.cycles, minimumLines: Self.cycles)
    }

    @Test("with a large state (400 page variants, journal and snapshot under way) the same holds, and no page is lost")
    func killCyclesLargeState() async throws {
        let fixture = try DaemonFixture()
        let paths = (0..<400).map { "/?p=\($0)" }
        try fixture.writeConfig(paths: paths, repeatMinutes: 1)
        try await Self.killAndVerify(fixture, cycles: max(10, Self.cycles / 4), minimumLines: 400)
        let saved = try StateStore.peek(stateDirectory: fixture.state.path)
        #expect(saved?.pages.count == 400)
    }

    /// Kills the daemon at random moments `cycles` times while the site changes, then runs it cleanly
    /// and checks the history chain, the alert invariants and the canary.
    static func killAndVerify(_ fixture: DaemonFixture, cycles: Int, minimumLines: Int) async throws {
        var generator = SystemRandomNumberGenerator()
        for cycle in 0..<cycles {
            // The site changes now and then, so that alerts fire and resolve across the kills.
            fixture.setExtra(cycle % 7 < 4 ? ["_ga"] : cycle % 7 == 4 ? ["_ga", "_fbp"] : [])
            let daemon = try fixture.start()
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...900, using: &generator)))
            await daemon.kill9()
            #expect(!daemon.stderr.contains("<2>"), "cycle \(cycle): \(daemon.stderr)")
        }

        // A last, clean run: the finding that holds now must be firing at its end.
        fixture.setExtra(["_ga"])
        let lines = fixture.historyLines().count
        let daemon = try fixture.start()
        #expect(
            await eventually(within: 30) {
                guard fixture.historyLines().count >= lines + 8 else { return false }
                let ga = try fixture.alertEvents().filter { $0.kind == "undeclared" && $0.cookie == "_ga" }
                return ga.last.map { $0.event != "resolved" } == true
            })
        let asked = Date()
        daemon.send(SIGTERM)
        let status = await daemon.exit(within: 10)
        let took = Date().timeIntervalSince(asked)
        #expect(status == 0 && took < 2, "exit \(String(describing: status)) after \(took) s: \(daemon.stderr)")

        let verified = try await fixture.verify()
        #expect(verified.status == 0, "\(verified.output)")
        #expect(fixture.historyLines().count > minimumLines)

        // Per alert: firing, then repeats, then resolved; never firing twice in a row or resolved unfired.
        let events = try fixture.alertEvents()
        #expect(!events.isEmpty)
        for alert in Set(events.map(\.alert)) {
            var open = false
            for event in events where event.alert == alert {
                switch event.event {
                case "firing":
                    #expect(!open, "\(alert) fired twice without resolving: \(events.filter { $0.alert == alert })")
                    open = true
                case "repeat":
                    #expect(open, "\(alert) repeated while not firing")
                default:
                    #expect(open, "\(alert) resolved while not firing")
                    open = false
                }
            }
        }
        #expect(!fixture.everythingWritten().contains(fixture.canary))
    }
}
