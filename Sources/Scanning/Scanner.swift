import Audit
import Charter
import Config
import CookieModel
import Foundation
import Transport

/// One pass over page variants: visits through a `PageFetcher`, then the audit per site.
public struct Scanner: Sendable {
    public let fetcher: any PageFetcher
    /// Visits in flight at once; the fetcher applies its own global and per-host caps too.
    public let concurrency: Int

    public init(fetcher: any PageFetcher, concurrency: Int) {
        self.fetcher = fetcher
        self.concurrency = max(1, concurrency)
    }

    /// Visits every target (at most `concurrency` at once, results in target order) and audits each site.
    public func scan(
        _ targets: [ScanTarget], sites: [Site], now: @Sendable () -> Date,
        progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async -> ScanReport {
        let started = now()
        let exchanges = await visitAll(targets, progress: progress)
        let finished = now()
        var results: [ScanReport.SiteResult] = []
        for site in sites {
            let observations = zip(targets, exchanges).filter { $0.0.site == site.name }.map {
                Self.observation($0.0, $0.1)
            }
            guard !observations.isEmpty else { continue }
            let audit = SiteAudit(
                site: site.name, charters: site.charters, policy: site.policy,
                pageURLs: site.pages.compactMap { try? CookieURL(parsing: $0.url) })
            results.append(
                ScanReport.SiteResult(
                    name: site.name, observations: observations, audit: audit.run(observations, now: finished)))
        }
        return ScanReport(scannedAt: started, sites: results)
    }

    private func visitAll(_ targets: [ScanTarget], progress: @Sendable (Int, Int) -> Void) async -> [Exchange] {
        await withTaskGroup(of: (Int, Exchange).self) { group in
            var exchanges = [Exchange?](repeating: nil, count: targets.count)
            var next = 0
            var done = 0
            func submit() {
                let index = next
                let request = targets[index].request
                group.addTask { (index, await fetcher.visit(request)) }
                next += 1
            }
            while next < min(concurrency, targets.count) { submit() }
            while let (index, exchange) = await group.next() {
                exchanges[index] = exchange
                done += 1
                progress(done, targets.count)
                if next < targets.count { submit() }
            }
            return exchanges.map { $0 ?? Exchange(request: VisitRequest(url: "")) }
        }
    }

    /// What the audit reads of an exchange: hops with their cookie outcomes, and the failure.
    public static func observation(_ target: ScanTarget, _ exchange: Exchange) -> PageObservation {
        let hops = exchange.hops.compactMap { hop -> ObservedHop? in
            guard let url = try? CookieURL(parsing: hop.url) else { return nil }
            return ObservedHop(url: url, status: hop.status, date: hop.date, outcomes: hop.cookieOutcomes)
        }
        return PageObservation(
            page: PageRef(url: target.page.url, variant: target.variant.name),
            consentGiven: target.variant.consentGiven, hops: hops,
            failure: exchange.failure.map { ObservedFailure(code: $0.code.rawValue, message: $0.message, url: $0.url) },
            evicted: PageObservation.evicted(from: hops, finalStore: exchange.jar.holds))
    }
}
