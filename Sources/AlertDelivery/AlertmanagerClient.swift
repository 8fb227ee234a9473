import Foundation
import Transport

/// Sends alerts to Alertmanager's API v2 through libcurl, retrying passing failures with backoff.
public struct AlertmanagerClient: Sendable {
    /// The Alertmanager base URL, e.g. `http://127.0.0.1:9093`.
    public let baseURL: String
    public let fetcher: CurlFetcher
    /// Attempts per send; waits double from `firstRetryDelay`.
    public var attempts = 4
    public var firstRetryDelay: Duration = .milliseconds(500)

    public init(baseURL: String, fetcher: CurlFetcher) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.fetcher = fetcher
    }

    /// POSTs `alerts` to `/api/v2/alerts`; the result of the last attempt.
    public func send(_ alerts: [AlertmanagerAlert]) async -> DeliveryResult {
        let body: [UInt8]
        do { body = try DeliveryBody.json(alerts) } catch { return .unencodable("alerts", url: baseURL, error) }
        let delivery = Delivery(
            url: baseURL + "/api/v2/alerts", headers: [("Content-Type", "application/json")], body: body)
        var delay = firstRetryDelay
        var result = await fetcher.deliver(delivery)
        for _ in 1..<max(1, attempts) where result.isRetryable {
            try? await Task.sleep(for: delay)
            delay *= 2
            result = await fetcher.deliver(delivery)
        }
        return result
    }
}
