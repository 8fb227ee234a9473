import Foundation
import Transport

/// POSTs alert events as JSON to a webhook through libcurl, with retries, exponential backoff and
/// full jitter (a fleet of daemons does not retry in step). The daemon runs it off the scan path.
public struct WebhookClient: Sendable {
    public let url: String
    /// Sent as `Authorization: Bearer …`; read from a credential file by the caller, never logged.
    public let token: String?
    public let fetcher: CurlFetcher
    public var attempts = 5
    public var firstRetryDelay: Duration = .seconds(1)

    public init(url: String, token: String?, fetcher: CurlFetcher) {
        self.url = url
        self.token = token
        self.fetcher = fetcher
    }

    /// Delivers one event; the result of the last attempt.
    public func send(_ event: WebhookEvent) async -> DeliveryResult {
        let body: [UInt8]
        do { body = try DeliveryBody.json(event) } catch { return .unencodable("the event", url: url, error) }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Idempotency-Key", event.id),
        ]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let delivery = Delivery(url: url, headers: headers, body: body)
        var result = await fetcher.deliver(delivery)
        var ceiling = firstRetryDelay
        for _ in 1..<max(1, attempts) where result.isRetryable {
            let nanoseconds =
                ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
            try? await Task.sleep(for: .nanoseconds(Int64.random(in: 0...max(0, nanoseconds))))
            ceiling *= 2
            result = await fetcher.deliver(delivery)
        }
        return result
    }
}
