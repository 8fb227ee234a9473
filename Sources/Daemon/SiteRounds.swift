import Audit

/// Which page variants of each site have been visited since the site's last round, and what each
/// showed last: a value. A round completes once every page variant of the site has been visited;
/// only then is the site audited and its alerts advanced, so one page scanned twice never counts as
/// two passes of the whole site.
public struct SiteRounds: Sendable {
    /// The page variants each site expects, in configuration order, and as a set for lookups.
    private var expected: [String: [PageRef]] = [:]
    private var expectedSet: [String: Set<PageRef>] = [:]
    private var latest: [String: [PageRef: PageObservation]] = [:]

    public init(expected: [String: [PageRef]]) {
        replace(expected: expected)
    }

    /// Takes a new set of pages (after a reload): observations of pages that remain are kept.
    public mutating func replace(expected: [String: [PageRef]]) {
        self.expected = expected
        expectedSet = expected.mapValues(Set.init)
        for (site, pages) in latest {
            let kept = pages.filter { expectedSet[site]?.contains($0.key) ?? false }
            latest[site] = kept.isEmpty ? nil : kept
        }
    }

    /// Records a visit; returns the site's observations, in configuration order, when it completes a round.
    /// O(1) but when the round completes: only expected pages are kept, so the round is complete when
    /// as many are kept as expected (a pass over the pages per visit made a round quadratic).
    public mutating func record(site: String, observation: PageObservation) -> [PageObservation]? {
        guard let wanted = expectedSet[site], wanted.contains(observation.page) else { return nil }
        latest[site, default: [:]][observation.page] = observation
        guard let seen = latest[site], seen.count == wanted.count, let pages = expected[site] else { return nil }
        latest[site] = nil
        return pages.compactMap { seen[$0] }
    }
}
