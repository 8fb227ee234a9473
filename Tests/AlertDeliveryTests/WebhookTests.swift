import AlertDelivery
import Foundation
import LocalHTTP
import Synchronization
import Testing
import Transport

@Suite("Webhook delivery, against a local HTTP server")
struct WebhookTests {
    let event = WebhookEvent(
        event: "firing", alert: "f46fba9478e51d76", time: Date(timeIntervalSince1970: 1_780_000_000), site: "demo",
        kind: "undeclared", cookie: "_ga", severity: "high",
        message: "\"_ga\" is stored but the charter does not declare it",
        pages: ["https://www.example.com/ [no-consent]"])

    /// Answers with `statuses` in turn (the last one repeats).
    func server(_ statuses: [Int]) throws -> LocalHTTPServer {
        let served = Counter()
        return try LocalHTTPServer(routes: [
            "/hook": { _ in
                let n = served.next()
                return .respond(Response(status: statuses[min(n, statuses.count - 1)], body: "ok"))
            }
        ])
    }

    @Test("the event arrives as JSON with its idempotency key and token; 503 and 429 are retried with the same key")
    func retries() async throws {
        let site = try server([503, 429, 200])
        defer { site.stop() }
        let fetcher = try CurlFetcher()
        defer { fetcher.shutdown() }
        var client = WebhookClient(url: site.url("/hook"), token: "s3cr3t-token", fetcher: fetcher)
        client.firstRetryDelay = .milliseconds(20)
        let result = await client.send(event)
        #expect(result.status == 200 && result.failure == nil)
        let requests = site.requests
        #expect(requests.count == 3)
        #expect(Set(requests.map { $0.header("Idempotency-Key") }) == [event.id])
        #expect(requests.allSatisfy { $0.method == "POST" && $0.header("Authorization") == "Bearer s3cr3t-token" })
        let received = try JSONDecoder().decode(WebhookEvent.self, from: Data(try #require(requests.last).body))
        #expect(received == event)
    }

    @Test(
        "a refused credential or a limit (401, 403, 407, 429) is retried with the same key, then left pending",
        arguments: [401, 403, 407, 429])
    func credentialRefusals(status: Int) async throws {
        let site = try server([status])
        defer { site.stop() }
        let fetcher = try CurlFetcher()
        defer { fetcher.shutdown() }
        var client = WebhookClient(url: site.url("/hook"), token: "old-token", fetcher: fetcher)
        client.firstRetryDelay = .milliseconds(10)
        client.attempts = 3
        let result = await client.send(event)
        #expect(result.status == status && result.failure?.code == .httpStatus)
        #expect(result.isRetryable, "a \(status) says nothing against the event: it must stay pending")
        #expect(site.requests.count == 3)
        #expect(Set(site.requests.map { $0.header("Idempotency-Key") }) == [event.id])
    }

    @Test("only a 4xx that says the event is wrong is final: not retried", arguments: [400, 409, 413, 422])
    func clientErrors(status: Int) async throws {
        let site = try server([status])
        defer { site.stop() }
        let fetcher = try CurlFetcher()
        defer { fetcher.shutdown() }
        var client = WebhookClient(url: site.url("/hook"), token: nil, fetcher: fetcher)
        client.firstRetryDelay = .milliseconds(10)
        let result = await client.send(event)
        #expect(result.status == status && result.failure?.code == .httpStatus)
        #expect(!result.isRetryable)
        #expect(site.requests.count == 1)
        #expect(site.requests.first?.header("Authorization") == nil)
    }
}

/// A thread-safe request counter for route handlers.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock { n in
            defer { n += 1 }; return n
        }
    }
}
