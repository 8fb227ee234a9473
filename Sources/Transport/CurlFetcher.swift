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
        let started = ContinuousClock.now
        var exchange = await follow(request)
        exchange.elapsed = ContinuousClock.now - started
        return exchange
    }

    /// Requests hop after hop until a final page, a failure, or the redirect limit.
    private func follow(_ request: VisitRequest) async -> Exchange {
        var visit = Visit(request: request, now: now)
        var url = request.url
        // The visit's time budget is spent by transfers only: a hop waiting for a free slot in the
        // driver's queue is not on the clock, so a long scan queue cannot time out its own pages.
        var budget = request.limits.visitTimeout
        while true {
            let index = visit.exchange.hops.count
            guard let hopURL = visit.prepareHop(url: url, index: index) else { return visit.exchange }
            guard budget > .zero else {
                _ = visit.fail(.timeout, "the visit used up its \(request.limits.visitTimeout) before this hop", index: index, url: url)
                return visit.exchange
            }
            let spec = Transfer.Spec(
                url: url, host: hopURL.host, headers: visit.requestHeaders(for: hopURL),
                timeoutMilliseconds: Transfer.milliseconds(budget), limits: request.limits)
            let result = await driver.perform(Transfer(spec: spec))
            budget -= max(result.timings.total, .milliseconds(1))
            guard let next = visit.record(result, index: index, url: url, cookieURL: hopURL) else { return visit.exchange }
            url = next
        }
    }
}
