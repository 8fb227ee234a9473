import AlertDelivery
import Foundation
import ProcessTestSupport
import Testing
import Transport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("Alertmanager delivery, against a real Alertmanager", .serialized)
struct AlertmanagerTests {
    @Test("a firing alert shows in Alertmanager with its labels; sent again with endsAt past, it is resolved")
    func fireAndResolve() async throws {
        let manager = try await AlertmanagerProcess()
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
        let manager = try await AlertmanagerProcess()
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
