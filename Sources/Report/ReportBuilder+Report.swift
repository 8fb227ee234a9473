import Knowledge
import Audit
import Charter
import Watch

// The end of the stream: the lists a baseline pins, and the report itself.
extension ReportBuilder {
    /// The latest cookie list of each page variant read so far, by site (lists written before the
    /// window included): what `baseline pin` records and what the report compares with a baseline.
    public func latestLists() -> [String: [PinnedPage]] {
        var lists: [String: [PinnedPage]] = [:]
        for slot in pages where slot.included {
            guard let latest = slot.latest else { continue }
            lists[siteNames[slot.site], default: []].append(
                PinnedPage(
                    page: slot.page, digest: String(decoding: latest.digest, as: UTF8.self), cookies: latest.cookies))
        }
        return lists.mapValues { $0.sorted { $0.page < $1.page } }
    }

    /// The report, with each site held to `charters[site]` when given and, when a baseline is pinned,
    /// its latest cookies compared with the pinned ones.
    /// `knowledge` names what undeclared cookies usually are in the proposed charter entries.
    public func report(
        charters: [String: CharterSet], generated: Int64, baseline: Baseline? = nil,
        knowledge: CookieKnowledge = .openCookieDatabase
    ) -> DriftReport {
        var builder = self
        if let openDay { builder.closeDay(openDay) }
        for slot in builder.pages {
            guard let missing = slot.missingList, let last = missing.last else { continue }
            builder.warnings[missing.warning].message +=
                " (nor for its \(missing.more) later unchanged lines, the last at \(last.file):\(last.line))"
        }
        var names = Set(builder.siteNames.indices.filter { builder.sites[$0].scans > 0 }.map { builder.siteNames[$0] })
        for name in charters.keys where site == nil || name == site { names.insert(name) }
        let latest = baseline == nil ? [:] : builder.latestLists()
        let reports = names.sorted().map { name in
            var report = builder.siteReport(
                name, tally: builder.siteIndex[name].map { builder.sites[$0] }, charters: charters[name],
                knowledge: knowledge)
            if let baseline {
                report.baseline = BaselineComparison.compare(site: name, latest: latest[name] ?? [], with: baseline)
            }
            return report
        }
        return DriftReport(window: window, generated: generated, sites: reports, warnings: builder.warnings)
    }

    /// What the scans show of the cookie `name` (its latest sighting): where it was set, its attributes
    /// and lifetime. Never a value.
    static func evidence(of name: String, in cookies: [CookieReport]) -> String? {
        guard let cookie = cookies.filter({ $0.identity.name == name }).max(by: { $0.lastSeen < $1.lastSeen }) else {
            return nil
        }
        return
            "set by \(cookie.attributes.setBy) for \(cookie.identity.domain); \(ReportText.attributes(cookie.attributes))"
    }

    mutating func closeDay(_ day: Int64) {
        for index in sites.indices where sites[index].scans > 0 {
            sites[index].close(day: day, current: current(sites[index]).count)
        }
    }

    /// The cookies in the latest list of each of the site's page variants.
    private func current(_ tally: SiteTally) -> Set<CookieIdentity> {
        var identities = Set<CookieIdentity>()
        for slot in tally.pages {
            for cookie in pages[slot].latest?.cookies ?? [] { identities.insert(cookie.identity) }
        }
        return identities
    }

    private func siteReport(_ name: String, tally: SiteTally?, charters: CharterSet?, knowledge: CookieKnowledge)
        -> SiteReport
    {
        let tally = tally ?? SiteTally()
        let current = current(tally)
        let cookies = tally.cookies.sorted { $0.identity < $1.identity }.map { cookie in
            CookieReport(
                identity: cookie.identity, firstSeen: cookie.firstSeen, lastSeen: cookie.lastSeen,
                pages: cookie.pages.map { pages[$0].page }.sorted(),
                setBy: cookie.setBy.sorted(), lifetimes: cookie.lifetimes, sessionSeen: cookie.sessionSeen,
                attributes: cookie.attributes, seenScans: cookie.seenScans,
                possibleScans: cookie.pages.reduce(0) { $0 + pages[$1].successfulScans },
                isCurrent: current.contains(cookie.identity), charter: nil)
        }
        let scanned = tally.pages.filter { pages[$0].scanned }.map { pages[$0].page }.sorted()
        var report = SiteReport(
            name: name, pages: scanned, scans: tally.scans, failedScans: tally.failedScans,
            cookiesNow: current.sorted(), cookies: cookies, timeline: tally.timeline, series: tally.series,
            coverage: nil, alertsOpened: alerts.opened[name] ?? [], alertsResolved: alerts.resolved[name] ?? [],
            alertsOpen: alerts.stillOpen(site: name))
        report.verdicts = report.alertsOpen.map { note in
            Verdict(note: note, evidence: note.cookie.flatMap { Self.evidence(of: $0, in: cookies) })
        }.sorted(by: Verdict.order)
        report.findingSeries = alerts.series(site: name, window: window)
        if let charters { CharterReview.apply(charters, to: &report, knowledge: knowledge) }
        return report
    }
}
