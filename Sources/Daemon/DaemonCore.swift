import Audit
import Config
import CookieModel
import Foundation
import Knowledge
import Scanning
import Scheduling
import Transport
import Watch

/// The daemon's decisions as a value: which page variants to scan now, what each finished visit
/// writes to history, when a site's round is complete and which alert events it gives. No I/O: the
/// shell (`Daemon`) feeds it visits and times, and writes what it returns.
public struct DaemonCore: Sendable {
    public private(set) var configuration: Configuration
    /// Every page variant's job in configuration order, and where each id is in it (an index, not a
    /// dictionary of jobs: a dictionary's spare buckets held a whole request each).
    private var jobList: [DaemonJob] = []
    private var jobIndex: [String: Int] = [:]
    private var schedule: ScanSchedule
    /// How many visits run at once (`Configuration.visitCaps`), read once per configuration.
    private var caps = VisitCaps(total: 1, perHost: 1)
    private(set) var pages: [String: PageState] = [:]
    private(set) var alerts: AlertLifecycle
    /// Each site's page-variant job ids, in configuration order.
    private(set) var siteJobs: [String: [String]] = [:]
    private var rounds: SiteRounds
    /// Alert events decided but not yet confirmed written to `alerts.jsonl`; saved in state so that a
    /// crash between the two neither loses nor repeats an event.
    public private(set) var outbox: [AlertEvent]
    /// Events in `alerts.jsonl` the webhook has not accepted yet, in order, with holes where one was
    /// accepted (compacted when more than half are holes): accepting one costs the same however long
    /// the backlog is.
    private var pending: [AlertEvent?] = []
    private var pendingIndex: [String: Int] = [:]
    /// What changed in the saved state since `takeChanges`: page variants by slot.
    private var changedPages: Set<Int> = []
    private var alertsChanged = false
    private var outboxChanged = false
    private var pendingAdded: [AlertEvent] = []
    private var pendingRemoved: [String] = []
    /// Set by a reload (page variants removed, the webhook gone): only a snapshot says that.
    private var needsSnapshot = false
    /// Keys the value fingerprints; the shell lists a visit's cookies with it on the visit's task.
    let fingerprinter: ValueFingerprinter
    /// The approved state pinned with `cookiewatch baseline pin`: `cookies` lines of pinned page
    /// variants carry their drift from it.
    public var baseline: Baseline?
    /// Divides intervals, jitter, the repeat interval and retries (tests); 1 in production.
    public let speedup: Int64

    /// Schedules every page variant of `configuration`, resuming `saved` (nil on the first start):
    /// kept page variants keep their due times and counters; one never scanned is due at `now`.
    public init(
        configuration: Configuration, saved: WatchState?, now: Date, seed: UInt64,
        fingerprinter: ValueFingerprinter, speedup: Int64 = 1
    ) throws(ScanPlanError) {
        self.configuration = configuration
        self.fingerprinter = fingerprinter
        self.speedup = max(1, speedup)
        schedule = ScanSchedule(jobs: [], now: Self.seconds(now), seed: seed, firstRetry: 60 / max(1, speedup))
        alerts = saved?.alerts ?? AlertLifecycle()
        outbox = saved?.outbox ?? []
        rounds = SiteRounds(expected: [:])
        for page in saved?.pages ?? [] { pages[DaemonJob.id(site: page.site, page: page.page)] = page }
        if configuration.alerts.webhook != nil { addPending(saved?.webhookPending ?? []) }
        try apply(configuration, now: now)
    }

    /// Takes a reloaded configuration; jobs that remain keep their schedule and memory.
    public mutating func reload(_ configuration: Configuration, now: Date) throws(ScanPlanError) {
        try apply(configuration, now: now)
        self.configuration = configuration
        if configuration.alerts.webhook == nil {
            pending = []
            pendingIndex = [:]
        }
        needsSnapshot = true
    }

    private mutating func apply(_ configuration: Configuration, now: Date) throws(ScanPlanError) {
        let list = try DaemonJob.jobs(configuration, speedup: speedup)
        caps = configuration.visitCaps
        let known = jobIndex
        jobList = list
        jobIndex = [:]
        jobIndex.reserveCapacity(list.count)
        for (index, job) in list.enumerated() {
            // The first slot of an id listed twice is its job; one hash a job when none is.
            if let first = jobIndex.updateValue(index, forKey: job.id) { jobIndex[job.id] = first }
        }
        schedule.replace(jobs: list.map(\.schedule), now: Self.seconds(now))
        // A first start knows no job and has saved none: no lookup per job then.
        for (slot, job) in list.enumerated() where known.isEmpty || known[job.id] == nil {
            if !pages.isEmpty, let saved = pages[job.id], let due = saved.nextDue {
                schedule.restore(slot: slot, due: Self.seconds(due), failures: saved.consecutiveFailures)
            } else {
                schedule.restore(slot: slot, due: Self.seconds(now), failures: 0)
            }
        }
        pages = pages.filter { jobIndex[$0.key] != nil }
        // Every page variant gets an entry after its first visit: room for all at once, rather than
        // the old and the doubled table side by side at each growth.
        pages.reserveCapacity(list.count)
        var expected: [String: [PageRef]] = [:]
        siteJobs = [:]
        // A site's page variants follow one another in the list: one lookup per run of them.
        var start = 0
        while start < list.count {
            let site = list[start].site
            var end = start + 1
            while end < list.count, list[end].site == site { end += 1 }
            expected[site, default: []] += list[start..<end].map(\.page)
            siteJobs[site, default: []] += list[start..<end].map(\.id)
            start = end
        }
        rounds.replace(expected: expected)
        // Slots name other jobs now; a reload is saved as a snapshot (`needsSnapshot`).
        changedPages = []
    }

    // `jobCount`, `nextDue` and `firingCount` are read after every event from the Daemon's stored
    // `core`: inlined, they read the fields they need; called, Swift copied the whole core for the call
    // (a retain and a release of every table it holds).

    /// How many page variants are scheduled.
    @inline(__always) public var jobCount: Int { jobList.count }

    /// The job with this id, nil when the configuration has none.
    public func job(_ id: String) -> DaemonJob? { jobIndex[id].map { jobList[$0] } }

    /// The page variants to visit now, within the visit caps (`Configuration.visitCaps`).
    public mutating func startDue(at now: Date) -> [DaemonJob] {
        schedule.startSlots(at: Self.seconds(now), maxRunning: caps.total, maxRunningPerHost: caps.perHost)
            .map { jobList[$0] }
    }

    /// When the earliest idle page variant is due; nil when all are running.
    @inline(__always) public var nextDue: Date? {
        schedule.nextDue.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// What a finished visit gives.
    public struct VisitOutcome: Sendable {
        /// The history line to append.
        public var record: HistoryRecord
        /// Set when the visit completed a round of its site.
        public var round: SiteRound?
    }

    /// A completed round of one site: its audit and the alert events it gave.
    public struct SiteRound: Sendable {
        public var site: String
        public var time: Date
        public var findings: [Finding]
        public var events: [AlertEvent]
        /// Every alert of the site that is firing after this round, with when it started.
        public var firing: [(finding: AlertFinding, since: Date)]
        /// The site's scan interval (after the speedup): Alertmanager alerts end after two of them.
        public var interval: Duration
        /// No page variant of the round failed.
        public var complete: Bool
    }

    /// Records a finished visit of `jobID`; nil when the job was removed by a reload meanwhile.
    /// `listed` is the visit's cookies if already listed (`ListedCookies`), else they are listed here.
    public mutating func finish(
        _ jobID: String, observation: PageObservation, listed: ListedCookies? = nil, at now: Date
    ) -> VisitOutcome? {
        guard let job = job(jobID) else {
            schedule.finish(jobID, succeeded: true, at: Self.seconds(now))
            return nil
        }
        return finish(job, observation: observation, listed: listed, at: now)
    }

    /// Records a finished visit of `job` as the audit sees it.
    public mutating func finish(
        _ job: DaemonJob, observation: PageObservation, listed: ListedCookies? = nil, at now: Date
    ) -> VisitOutcome {
        let jobID = job.id
        // A job of the current list (as `startDue` and `finish(_:observation:)` give) is found by its slot;
        // one from before a reload by its id (nil: the reload removed it).
        let slot =
            jobList.indices.contains(job.slot) && jobList[job.slot].id == jobID ? job.slot : jobIndex[jobID]
        let saved = pages.index(forKey: jobID)
        var page =
            saved.map { pages.values[$0] }
            ?? PageState(site: job.site, page: job.page, lastDigest: nil, consecutiveFailures: 0, nextDue: nil)
        let record: HistoryRecord
        if let failure = observation.failure {
            record = .failure(site: job.site, page: job.page, time: now, failure: failure)
            page.consecutiveFailures += 1
        } else {
            let listed = listed ?? ListedCookies(observation, now: now, fingerprinter: fingerprinter)
            let cookies = listed.cookies
            var scan = HistoryRecord.scan(
                site: job.site, page: job.page, time: now, cookies: cookies, previous: page.lastCookies,
                digest: listed.digest, previousDigest: page.lastDigest)
            if case .cookies = scan.outcome {
                scan.baselineDrift = baseline?.drift(site: job.site, page: job.page, current: cookies)
            }
            record = scan
            page.lastDigest = record.digest
            page.lastCookies = cookies
            page.consecutiveFailures = 0
        }
        if let slot {
            schedule.finish(slot: slot, succeeded: observation.failure == nil, at: Self.seconds(now))
            page.nextDue = Date(timeIntervalSince1970: TimeInterval(schedule.due(slot: slot)))
        } else {
            schedule.finish(jobID, succeeded: observation.failure == nil, at: Self.seconds(now))
            page.nextDue = schedule.due(jobID).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
        if let saved { pages.values[saved] = page } else { pages[jobID] = page }
        // An `unchanged` line between rounds saves nothing: after a crash the page keeps its older due
        // time and is simply scanned again at start.
        if case .unchanged = record.outcome {} else if let slot { changedPages.insert(slot) }
        let configuration = configuration
        let completed = rounds.record(site: job.site, observation: observation, now: now) {
            Self.siteAudit(job.site, configuration)
        }
        guard let completed else { return VisitOutcome(record: record, round: nil) }
        return VisitOutcome(record: record, round: closeRound(of: job.site, completed, at: now))
    }

    /// Forgets a visit that never completed (cancelled at shutdown): it is due again at once.
    public mutating func abandon(_ jobID: String, at now: Date) {
        schedule.finish(jobID, succeeded: true, at: Self.seconds(now))
        schedule.restore(jobID, due: Self.seconds(now), failures: pages[jobID]?.consecutiveFailures ?? 0)
    }

    /// The audit a site's round begins with.
    private static func siteAudit(_ site: String, _ configuration: Configuration) -> SiteAudit? {
        configuration.sites.first { $0.name == site }.map(SiteAudit.init(configured:))
    }

    private mutating func closeRound(of site: String, _ completed: SiteRounds.Completed, at now: Date) -> SiteRound? {
        guard let config = configuration.sites.first(where: { $0.name == site }) else { return nil }
        let audit = completed.result
        let pass = AlertLifecycle.SitePass(
            site: site, time: now, findings: audit.findings.map(AlertFinding.init),
            failedPages: completed.failedPages,
            lastCookies: Dictionary(
                completed.failedPages.compactMap { page in
                    pages[DaemonJob.id(site: site, page: page)]?.lastCookies.map { (page, Set($0.map(\.name))) }
                }, uniquingKeysWith: { first, _ in first }))
        let events = alerts.observe(pass, policy: alertPolicy(config))
        outbox += events
        alertsChanged = true
        if !events.isEmpty { outboxChanged = true }
        let firing = alerts.alerts.values.compactMap { alert -> (finding: AlertFinding, since: Date)? in
            guard alert.finding.site == site, case .firing(let since, _, _) = alert.stage else { return nil }
            return (alert.finding, since)
        }.sorted { $0.finding.id < $1.finding.id }
        return SiteRound(
            site: site, time: now, findings: audit.findings, events: events, firing: firing,
            interval: .seconds(max(1, DaemonJob.seconds(config.schedule.interval) / speedup)),
            complete: completed.failedPages.isEmpty)
    }

    private func alertPolicy(_ site: Site) -> AlertPolicy {
        AlertPolicy(
            site.policy,
            repeatInterval: .seconds(max(1, DaemonJob.seconds(configuration.alerts.repeatInterval) / speedup)))
    }

    /// The outbox's events are in `alerts.jsonl` now (its first `count`, when given: events added
    /// since they were handed out stay); with a webhook they wait for it.
    public mutating func confirmOutbox(first count: Int? = nil) {
        let written = Array(outbox.prefix(count ?? outbox.count))
        guard !written.isEmpty else { return }
        if configuration.alerts.webhook != nil {
            addPending(written)
            pendingAdded += written
        }
        outbox.removeFirst(written.count)
        outboxChanged = true
    }

    /// Events the webhook has not accepted yet, oldest first (empty without a webhook).
    public var webhookPending: [AlertEvent] { pending.compactMap { $0 } }

    /// How many events the webhook has not accepted yet, in O(1).
    public var webhookPendingCount: Int { pendingIndex.count }

    /// The webhook accepted the event with this key (or refused it for good: a 4xx). O(1), amortized.
    public mutating func webhookSettled(_ key: String) {
        guard let index = pendingIndex.removeValue(forKey: key) else { return }
        pending[index] = nil
        pendingRemoved.append(key)
        guard pending.count > 64, pendingIndex.count * 2 < pending.count else { return }
        pending = pending.filter { $0 != nil }
        pendingIndex = [:]
        for (index, event) in pending.enumerated() { if let event { pendingIndex[event.key] = index } }
    }

    private mutating func addPending(_ events: [AlertEvent]) {
        for event in events where pendingIndex[event.key] == nil {
            pendingIndex[event.key] = pending.count
            pending.append(event)
        }
    }

    /// The changes to save since the last call, in the order they must be replayed; nil when only a
    /// snapshot of `state` can say what changed (after a reload). Taking them starts a new set.
    public mutating func takeChanges() -> [StateChange]? {
        defer {
            changedPages = []
            alertsChanged = false
            outboxChanged = false
            pendingAdded = []
            pendingRemoved = []
            needsSnapshot = false
        }
        guard !needsSnapshot else { return nil }
        var changes = changedPages.sorted().compactMap { savedPage(slot: $0).map(StateChange.page) }
        if alertsChanged { changes.append(.alerts(alerts)) }
        if !pendingAdded.isEmpty { changes.append(.pendingAdd(pendingAdded)) }
        if outboxChanged { changes.append(.outbox(outbox)) }
        if !pendingRemoved.isEmpty { changes.append(.pendingRemove(pendingRemoved)) }
        return changes
    }

    /// A page variant's memory as saved: with its due time from the schedule.
    private func savedPage(slot: Int) -> PageState? {
        guard var page = pages[jobList[slot].id] else { return nil }
        page.nextDue = Date(timeIntervalSince1970: TimeInterval(schedule.due(slot: slot)))
        return page
    }

    /// What `state.json` holds now.
    public var state: WatchState {
        var state = WatchState(
            pages: jobList.indices.compactMap { savedPage(slot: $0) }.sorted {
                ($0.site, $0.page) < ($1.site, $1.page)
            },
            alerts: alerts)
        state.outbox = outbox.isEmpty ? nil : outbox
        let pending = webhookPending
        state.webhookPending = pending.isEmpty ? nil : pending
        return state
    }

    /// Alerts firing now, across sites.
    @inline(__always) public var firingCount: Int {
        var count = 0
        for alert in alerts.alerts.values { if case .firing = alert.stage { count += 1 } }
        return count
    }

    /// "142 pages, next scan in 3m, 2 alerts firing": the `STATUS=` line.
    public func status(now: Date) -> String {
        let count = jobList.count
        var parts = ["\(count) \(count == 1 ? "page" : "pages")"]
        if let due = nextDue {
            parts.append("next scan in " + Self.text(max(0, Int64(due.timeIntervalSince(now).rounded(.up)))))
        } else {
            parts.append("scanning")
        }
        let firing = firingCount
        parts.append("\(firing) \(firing == 1 ? "alert" : "alerts") firing")
        return parts.joined(separator: ", ")
    }

    static func text(_ seconds: Int64) -> String {
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3_600: return "\(seconds / 60)m"
        case ..<86_400: return "\(seconds / 3_600)h"
        default: return "\(seconds / 86_400)d"
        }
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}
