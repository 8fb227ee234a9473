import CookieModel
import Foundation

/// The real `PageFetcher`: libcurl on one driver thread, redirects followed hop by hop with a browser
/// cookie jar carried across them.
public final class CurlFetcher: PageFetcher {
    let driver: TransferDriver
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

    /// Visits `request` on the driver thread itself, for callers with many visits whose exchanges are
    /// read elsewhere: no task and no thread switch per hop. `done` is called on the driver thread with
    /// the exchange (a `cancelled` failure after `shutdown`): it must only hand it on.
    public func visit(_ request: VisitRequest, done: @escaping @Sendable (Exchange) -> Void) {
        driver.drive(VisitRun(request, now: now), done: done)
    }

    public func visit(_ request: VisitRequest) async -> Exchange {
        let started = ContinuousClock.now
        var exchange = await Visit.follow(request, now: now) { spec in await driver.perform(Transfer(spec: spec)) }
        exchange.elapsed = ContinuousClock.now - started
        return exchange
    }
}
