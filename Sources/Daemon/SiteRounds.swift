import Audit
import Foundation

/// Each site's round in progress, audited as its visits arrive: a value. A round completes once every
/// page variant of the site has been visited; only then are its findings taken and its alerts
/// advanced, so one page scanned twice never counts as two passes of the whole site.
///
/// Each visit is recorded into the site's incremental audit (`SiteAudit.Incremental`) and dropped, so
/// a round costs memory in proportion to its distinct findings and cookies, not to its pages (keeping
/// every page's observation until the round closed cost about 12 KiB a page: 1.2 GB for a
/// 100,000-page site). Two rules follow, since a recorded visit cannot be taken back:
/// - a page variant counts once per round, with its first successful visit; a failed visit waits
///   aside until the round closes, and a later successful visit of that page in the same round takes
///   its place (a retry that worked). Later visits of a page that already counted are not counted in
///   the round (they are in the history all the same).
/// - a round is audited with the configuration it began with; a reload keeps it, with the pages the
///   reload added, unless it removed a page the round had seen, which starts the round afresh.
public struct SiteRounds: Sendable {
    /// The page variants each site expects, with their place in the configuration.
    private var expected: [String: [PageRef: Int]] = [:]
    private var rounds: [String: Round] = [:]

    private struct Round: Sendable {
        var audit: SiteAudit.Incremental
        /// Page variants visited in this round.
        var seen: Set<PageRef> = []
        /// Failed visits of pages with no successful one yet this round.
        var failures: [PageRef: PageObservation] = [:]
    }

    /// What a completed round gives.
    public struct Completed: Sendable {
        public var result: AuditResult
        /// Page variants whose visits in this round all failed.
        public var failedPages: Set<PageRef>
    }

    public init(expected: [String: [PageRef]]) {
        replace(expected: expected)
    }

    /// Takes a new set of pages (after a reload): a round in progress goes on, now also waiting for
    /// the pages added, unless a page it has seen was removed (its audit cannot forget that page).
    public mutating func replace(expected pages: [String: [PageRef]]) {
        expected = [:]
        for (site, list) in pages {
            var places: [PageRef: Int] = [:]
            places.reserveCapacity(list.count)
            for (place, page) in list.enumerated() {
                // The first place of a page listed twice; one hash a page when none is.
                if let first = places.updateValue(place, forKey: page) { places[page] = first }
            }
            expected[site] = places
        }
        rounds = rounds.filter { site, round in
            guard let places = expected[site] else { return false }
            return round.seen.allSatisfy { places[$0] != nil }
        }
    }

    /// Records a visit; returns the site's audit when the visit completes a round. `audit` gives the
    /// site's audit when a round begins (nil: the site is not configured). O(1) in the site's pages
    /// but when the round completes.
    public mutating func record(
        site: String, observation: PageObservation, now: Date, audit: () -> SiteAudit?
    ) -> Completed? {
        guard let places = expected[site], let place = places[observation.page] else { return nil }
        // Taken out of the dictionary while it changes: a copy left behind would make every visit copy
        // the round's sets and tables (a quadratic round).
        var round: Round
        if let current = rounds.removeValue(forKey: site) {
            round = current
        } else {
            guard let siteAudit = audit() else { return nil }
            round = Round(audit: SiteAudit.Incremental(siteAudit, now: now))
        }
        let page = observation.page
        let first = round.seen.insert(page).inserted
        if observation.failure != nil {
            if first || round.failures[page] != nil { round.failures[page] = observation }
        } else if first || round.failures.removeValue(forKey: page) != nil {
            round.audit.record(observation, order: place, now: now)
        }
        guard round.seen.count == places.count else {
            rounds[site] = round
            return nil
        }
        for (page, failure) in round.failures.sorted(by: { places[$0.key, default: 0] < places[$1.key, default: 0] }) {
            round.audit.record(failure, order: places[page, default: 0], now: now)
        }
        return Completed(result: round.audit.takeResult(), failedPages: Set(round.failures.keys))
    }
}
