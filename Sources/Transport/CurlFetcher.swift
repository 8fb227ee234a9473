import CookieModel
import Foundation

/// The real `PageFetcher`: libcurl on one driver thread, redirects followed hop by hop with a browser
/// cookie jar carried across them.
public final class CurlFetcher: PageFetcher {
    private let driver: TransferDriver
    private let now: @Sendable () -> Date

    /// Starts the driver thread; `now` is the clock the cookie jar runs on.
    public init(concurrency: ConcurrencyLimits = ConcurrencyLimits(), now: @escaping @Sendable () -> Date = { Date() })
        throws(FetcherSetupError)
    {
        driver = try TransferDriver(limits: concurrency)
        self.now = now
    }

    deinit {
        driver.shutdown()
    }

    /// Stops the driver thread; visits still running end with a `cancelled` failure.
    public func shutdown() {
        driver.shutdown()
    }

    public func visit(_ request: VisitRequest) async -> Exchange {
        var visit = Visit(request: request, now: now)
        let deadline = ContinuousClock.now + request.limits.visitTimeout
        var url = request.url
        while true {
            let index = visit.exchange.hops.count
            guard let hopURL = visit.prepareHop(url: url, index: index) else { return visit.exchange }
            let remaining = Transfer.milliseconds(deadline - ContinuousClock.now)
            guard remaining > 0 else {
                _ = visit.fail(.timeout, "the visit used up its \(request.limits.visitTimeout) before this hop", index: index, url: url)
                return visit.exchange
            }
            let spec = Transfer.Spec(
                url: url, host: hopURL.host, headers: visit.requestHeaders(for: hopURL),
                timeoutMilliseconds: remaining, limits: request.limits)
            let result = await driver.perform(Transfer(spec: spec))
            guard let next = visit.record(result, index: index, url: url, cookieURL: hopURL) else { return visit.exchange }
            url = next
        }
    }
}
