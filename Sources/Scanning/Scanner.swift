import Audit
import Charter
import Config
import CookieModel
import Foundation
import Knowledge
import Transport

/// One pass over page variants: visits through each target's engine, then the audit per site.
public struct Scanner: Sendable {
    public let engines: ScanEngines
    /// Visits in flight at once; the engines apply their own global and per-host caps too.
    public let concurrency: Int

    public init(engines: ScanEngines, concurrency: Int) {
        self.engines = engines
        self.concurrency = max(1, concurrency)
    }

    /// A scan with the libcurl engine only.
    public init(fetcher: any PageFetcher, concurrency: Int) {
        self.init(engines: ScanEngines(http: fetcher), concurrency: concurrency)
    }

    /// Visits every target (at most `concurrency` at once) and audits each site as its visits complete.
    /// Each observation goes to `observe` with its target's index, in completion order, and is then
    /// dropped: memory stays flat in the number of pages. The report does not depend on that order.
    public func scan(
        _ targets: ScanTargets, sites: [Site], now: @Sendable () -> Date,
        progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in },
        observe: (_ index: Int, _ site: String, _ observation: PageObservation) -> Void = { _, _, _ in }
    ) async -> ScanReport {
        let started = now()
        let scanned = targets.siteNames
        var audits: [String: SiteAudit.Incremental] = [:]
        for site in sites where scanned.contains(site.name) {
            audits[site.name] = SiteAudit.Incremental(SiteAudit(configured: site), now: started)
        }
        var failures: [String: [(index: Int, page: ScanReport.FailedPage)]] = [:]
        var disagreements: [String: Int] = [:]
        await visitAll(targets, now: now, progress: progress) { index, observation in
            let site = targets.site(at: index)
            audits[site]?.record(observation, order: index, now: now())
            disagreements[site, default: 0] += observation.disagreements.count
            if let failure = observation.failure {
                failures[site, default: []].append(
                    (index, ScanReport.FailedPage(page: observation.page, failure: failure)))
            }
            observe(index, site, observation)
        }
        var results: [ScanReport.SiteResult] = []
        for site in sites {
            // Taken out of the dictionary first, so that its page lists are sorted in place, not copied.
            guard var audit = audits.removeValue(forKey: site.name) else { continue }
            results.append(
                ScanReport.SiteResult(
                    name: site.name, pageCount: audit.recorded,
                    failures: (failures[site.name] ?? []).sorted { $0.index < $1.index }.map(\.page),
                    audit: audit.takeResult(), disagreements: disagreements[site.name] ?? 0))
        }
        return ScanReport(scannedAt: started, sites: results)
    }

    /// A visit that finished: observed by its engine on a task, or fetched on libcurl's thread.
    private enum Finished: Sendable {
        case observed(Int, PageObservation)
        case fetched(Int, Exchange)
    }

    /// Keeps `concurrency` visits in flight and hands each observation to `each` as it finishes. A plain
    /// libcurl visit (no login, no browser) runs on the fetcher's driver thread (`CurlFetcher.visit(_:done:)`);
    /// the others on tasks. Both report through one stream, read here.
    private func visitAll(
        _ targets: ScanTargets, now: @Sendable () -> Date, progress: @Sendable (Int, Int) -> Void,
        each: (Int, PageObservation) -> Void
    ) async {
        guard !targets.isEmpty else { return }
        let direct = engines.http as? CurlFetcher
        let (finished, report) = AsyncStream.makeStream(of: Finished.self)
        await withoutActuallyEscaping(now) { now in
            await withTaskGroup(of: Void.self) { group in
                var fetching: [Int: ScanTarget] = [:]
                var reported = [Bool](repeating: false, count: targets.count)
                var next = 0
                var done = 0
                func submit() {
                    let index = next
                    let target = targets[index]
                    next += 1
                    if let direct, target.engine == .http, target.login == nil {
                        fetching[index] = target
                        direct.visit(target.request) { report.yield(.fetched(index, $0)) }
                    } else {
                        group.addTask { report.yield(.observed(index, await engines.observe(target, now: now))) }
                    }
                }
                while next < min(concurrency, targets.count) { submit() }
                for await event in finished {
                    let index: Int
                    let observation: PageObservation
                    switch event {
                    case .observed(let at, let observed):
                        (index, observation) = (at, observed)
                    case .fetched(let at, let exchange):
                        guard let target = fetching.removeValue(forKey: at) else { continue }
                        (index, observation) = (at, Self.observation(target, exchange))
                    }
                    reported[index] = true
                    each(index, observation)
                    done += 1
                    progress(done, targets.count)
                    if next < targets.count, !Task.isCancelled { submit() }
                    if done == targets.count { break }
                }
                report.finish()
                // Cancelled (the stream ends at once): every page variant not reported is a cancelled visit,
                // as a cancelled visit task reports itself.
                for index in targets.indices where !reported[index] {
                    let page = targets.page(at: index)
                    let failure = ObservedFailure(
                        code: FetchFailure.Code.cancelled.rawValue, message: "the visit was cancelled", url: page.url)
                    each(
                        index,
                        PageObservation(
                            page: page, consentGiven: targets[index].variant.consentGiven, hops: [], failure: failure))
                    done += 1
                    progress(done, targets.count)
                }
            }
        }
    }

    /// What the audit reads of an exchange: hops with their cookie outcomes, and the failure.
    public static func observation(_ target: ScanTarget, _ exchange: Exchange) -> PageObservation {
        let hops = exchange.hops.compactMap { hop -> ObservedHop? in
            guard let url = hop.cookieURL ?? (try? CookieURL(parsing: hop.url)) else { return nil }
            return ObservedHop(url: url, status: hop.status, date: hop.date, outcomes: hop.cookieOutcomes)
        }
        var observation = PageObservation(
            page: PageRef(url: target.page.url, variant: target.variant.name),
            consentGiven: target.variant.consentGiven, hops: hops,
            failure: exchange.failure.map { ObservedFailure(code: $0.code.rawValue, message: $0.message, url: $0.url) },
            evicted: PageObservation.evicted(from: hops, jar: exchange.jar))
        observation.finalURL = exchange.finalHop?.url
        return observation
    }
}
