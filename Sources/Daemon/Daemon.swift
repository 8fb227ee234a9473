import AlertDelivery
import Audit
import Browser
import Config
import Foundation
import Glibc
import JournalLogging
import LocalHTTP
import Logging
import Login
import Metrics
import Scanning
import Transport
import Watch

/// `cookiewatch run`: the I/O shell around `DaemonCore`. One loop owns every piece of state and reads
/// one stream of events (visits finished, timer, signals, commits done); visits and alert deliveries
/// run on their own tasks, and the history log, state store and alert log are the committer's while a
/// group commit is in flight (`Committer`); each reports back through the stream. It sleeps until the
/// next due scan or watchdog ping.
public final class Daemon {

    var core: DaemonCore
    let configPath: String
    let stateDirectory: String
    let alertsPath: String
    let history: HistoryLog
    let store: StateStore
    let alertsLog: AlertsLog
    let notifier: SystemdNotifier
    let watchdogInterval: Duration?
    let fetcher: CurlFetcher
    /// Chromium for browser variants; nil until a configuration uses it.
    var browser: BrowserEngine?
    /// Signed-in sessions of the rounds in progress: one login per variant per round, logged out when
    /// the site's round completes.
    let logins: LoginSessions
    let deliveryFetcher: CurlFetcher
    var forwarder: AlertForwarder?
    let logger: Logger
    var failures: RepeatedErrorGate
    /// Visits in flight on tasks of their own, and on the fetcher's driver thread.
    var running: [String: Task<Void, Never>] = [:]
    var driven: Set<String> = []
    var timer: (deadline: Date, task: Task<Void, Never>)?
    var nextWatchdog: ContinuousClock.Instant?
    var reloadProblem: String?
    var lastStatus = ""
    var lastStatusGist: StatusGist?
    var lastStatusTime = Date.distantPast
    var retentionDay: Int64 = -1
    /// Keys of webhook events handed to the forwarder and not yet reported back.
    var webhookInFlight: Set<String> = []
    /// A `.flush` is queued in the inbox; the rounds closed by visits recorded since the last flush.
    var flushQueued = false
    var unflushedRounds: [DaemonCore.SiteRound] = []
    /// Writes each group commit off the loop; one is in flight at a time.
    let committer: Committer
    /// History records of the visits recorded since the last flush: the next commit writes them.
    var unwrittenHistory: [HistoryRecord] = []
    var commitInFlight = false
    /// A flush came while a commit was in flight: another follows it.
    var flushWanted = false
    let baselineFile: BaselineFile
    /// The state directory, open for looking files up in it.
    let stateDirectoryFD: Int32
    /// The modification time of `baseline.json` last read; nil when there was none.
    var baselineStamp: FileStamp?
    let inbox: Inbox
    /// What `/metrics` says, kept up to date by the loop; served when `metrics.listen` is configured.
    let metrics: MetricsBoard
    var metricsEndpoint: LocalHTTPServer?
    /// What the endpoint was started with: a reload that changes the address waits for a restart.
    let servedMetrics: MetricsSettings?
    var continuation: AsyncStream<Inbox.Event>.Continuation { inbox.continuation }

    /// Opens the state directory (history recovery, state, fingerprint key, alert log) for a loaded
    /// configuration. Nothing is scanned yet and systemd is not told anything.
    public init(
        configuration: Configuration, configPath: String, environment: [String: String], speedup: Int64,
        logger: Logger, inbox: Inbox
    ) throws(DaemonStartupError) {
        self.inbox = inbox
        self.configPath = configPath
        self.logger = logger
        stateDirectory = configuration.directories.state
        alertsPath = configuration.alerts.alertsLog
        notifier = SystemdNotifier(environment: environment)
        watchdogInterval = SystemdNotifier.watchdogInterval(environment: environment)
        failures = RepeatedErrorGate(window: max(1, 3_600 / max(1, speedup)))
        baselineFile = BaselineFile(stateDirectory: stateDirectory)
        let now = Date()
        do {
            try FileManager.default.createDirectory(
                atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw DaemonStartupError(
                "\(stateDirectory): cannot create the state directory: \(error.localizedDescription)")
        }
        stateDirectoryFD = open(stateDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard stateDirectoryFD >= 0 else {
            throw DaemonStartupError(
                "\(stateDirectory): cannot open the state directory: \(String(cString: strerror(errno)))")
        }
        do {
            let opened = try HistoryLog.open(directory: stateDirectory + "/history", now: now)
            history = opened.log
            if let tail = opened.recovery.quarantined { logger.warning("history: \(tail)") }
            for broken in opened.recovery.unparseable {
                logger.error("history: \(broken.file) line \(broken.line) is not a record: \(broken.reason)")
            }
            store = StateStore(stateDirectory: stateDirectory)
            let loaded = try store.load()
            if let cut = loaded.cut {
                logger.warning("\(store.journalPath): cut an unterminated last line of \(cut) bytes")
            }
            var saved = loaded.state
            if saved != nil || opened.recovery.lastRecord != nil {
                var state = saved ?? WatchState()
                state.catchUp(with: opened.recovery.lastRecord)
                saved = state
            }
            let key = try ValueFingerprinter.load(environment: environment, stateDirectory: stateDirectory)
            logger.info("value fingerprint key: \(key.source)")
            let recovered = try AlertsLog.recover(path: alertsPath)
            if let cut = recovered.cut {
                logger.warning(
                    "\(alertsPath): cut an unterminated last line of \(cut.length) bytes at offset \(cut.offset)")
            }
            alertsLog = try AlertsLog(path: alertsPath)
            committer = Committer(history: history, store: store, alertsLog: alertsLog)
            core = try DaemonCore(
                configuration: configuration, saved: saved, now: now, seed: UInt64.random(in: .min ... .max),
                fingerprinter: key.fingerprinter, speedup: speedup)
            let written = Set(recovered.events.map(\.key))
            let unsent = core.outbox.filter { !written.contains($0.key) }
            try alertsLog.deliver(unsent)
            core.confirmOutbox()
            _ = core.takeChanges()
            // The journal folded in, and what the start changed (pages a reload removed, a catch-up with
            // the history) saved; a state that is already `state.json` alone is not written again.
            let state = core.state
            if store.journalBytes > 0 || state != loaded.state { try store.snapshot(state) }
            fetcher = try Self.fetcher(configuration)
            logins = LoginSessions(runner: LoginRunner(fetcher: fetcher))
            browser = try ScanEngines.browser(for: configuration)
            deliveryFetcher = try CurlFetcher()
            forwarder = try Self.forwarder(
                configuration, fetcher: deliveryFetcher, logger: logger, logWindow: failures.window, inbox: inbox)
            metrics = Self.initialMetrics(core, usesBrowser: browser != nil)
            metricsEndpoint = try Self.metricsEndpoint(configuration.metrics, board: metrics)
            servedMetrics = configuration.metrics
        } catch let error as DaemonStartupError {
            throw error
        } catch let error as FileError {
            throw DaemonStartupError(error.description)
        } catch let error as ScanPlanError {
            throw DaemonStartupError(error.description)
        } catch let error as AlertSinkError {
            throw DaemonStartupError(error.description)
        } catch let error as BrowserError {
            throw DaemonStartupError(error.description)
        } catch let error as FetcherSetupError {
            throw DaemonStartupError("cannot start libcurl: \(error)", exitCode: 3)
        } catch {
            throw DaemonStartupError("\(error)", exitCode: 3)
        }
    }

    deinit {
        close(stateDirectoryFD)
    }

    /// Runs until SIGTERM or SIGINT (exit 0) or a failure to write history or state (exit 3).
    public func run() async -> Int32 {
        let code = await loop()
        await browser?.supervisor.shutdown()
        metricsEndpoint?.stop()
        return code
    }

    private func loop() async -> Int32 {
        refreshBaseline()
        removeOldHistory(now: Date())
        if let watchdogInterval { nextWatchdog = .now + watchdogInterval }
        notify(.ready, .status(status(now: Date())))
        logger.notice("started: \(core.configuration.summary)")
        if let endpoint = metricsEndpoint { logger.notice("metrics: serving \(endpoint.url("/metrics"))") }
        forward(round: nil)
        step()
        for await event in inbox.events {
            switch event {
            case .visited(let jobID, let observation, let listed, let duration):
                running[jobID] = nil
                driven.remove(jobID)
                let site = record(jobID, observation, listed: listed)
                noteVisit(site: site, observation, duration: duration)
                queueFlush()
            case .flush:
                flushQueued = false
                flush()
            case .committed:
                guard let outcome = committer.takeOutcome() else { break }
                commitInFlight = false
                guard case .done(let commit, let lines, let bytes) = outcome else {
                    if case .failed(let error) = outcome { logger.critical("cannot record a scan, stopping: \(error)") }
                    // The state stays as last saved, consistent with the history on disk; no later line
                    // may be written after the ones that failed (the chain).
                    stop(saving: false, writingHistory: false)
                    return 3
                }
                committed(commit, historyLines: lines, historyBytes: bytes)
                if flushWanted {
                    flushWanted = false
                    flush()
                }
            case .wake:
                timer = nil
            case .webhook(let key, let done):
                webhookInFlight.remove(key)
                // Saved by the next flush, with the other acknowledgements queued meanwhile: a backlog of
                // thousands costs a few fsyncs, and a SIGTERM behind it is not kept waiting.
                if done { core.webhookSettled(key) }
                if done { queueFlush() }
            case .signal(SIGHUP):
                reload()
            case .signal:
                return stop(saving: true) ? 0 : 3
            }
            step()
        }
        return 0
    }

    /// After each event: ping the watchdog if due, start due visits, update the status, re-arm the timer.
    func step() {
        if let due = nextWatchdog, let interval = watchdogInterval, ContinuousClock.now >= due {
            notify(.watchdog)
            nextWatchdog = .now + interval
        }
        let now = Date()
        for job in core.startDue(at: now) { start(job) }
        // A changed count or problem is told at once; the "next scan in" countdown at most every 10 s.
        // The line is only made when it may be told (after every event it was a tenth of this step).
        let gist = statusGist
        if gist != lastStatusGist || now.timeIntervalSince(lastStatusTime) >= 10 {
            let line = status(now: now)
            if gist != lastStatusGist || line != lastStatus { notify(.status(line)) }
        }
        arm(now: now)
    }

    /// Starts a visit of `job`. A plain libcurl visit (no login, no browser) runs on the fetcher's driver
    /// thread, which also lists its cookies (a keyed HMAC per value: kept off the loop) and reports it:
    /// no task and no thread switch per hop. The others run on a task of their own.
    func start(_ job: DaemonJob) {
        let target = job.target
        let continuation = continuation
        let fingerprinter = core.fingerprinter
        @Sendable func report(_ observation: PageObservation, duration: Duration) {
            let listed =
                observation.failure == nil ? ListedCookies(observation, now: Date(), fingerprinter: fingerprinter) : nil
            continuation.yield(.visited(jobID: job.id, observation: observation, listed: listed, duration: duration))
        }
        if target.engine == .http, target.login == nil {
            fetcher.visit(target.request) { exchange in
                report(Scanner.observation(target, exchange), duration: exchange.elapsed)
            }
            driven.insert(job.id)
            return
        }
        let engines = ScanEngines(http: fetcher, browser: browser, logins: logins)
        running[job.id] = Task {
            let started = ContinuousClock.now
            let observation = await engines.observe(target, now: { Date() })
            report(observation, duration: ContinuousClock.now - started)
        }
    }

    /// Sleeps until the next due scan or watchdog ping; no polling in between.
    func arm(now: Date) {
        var deadline = core.nextDue.flatMap { $0 > now ? $0 : nil }
        if let due = nextWatchdog {
            let left = (due - ContinuousClock.now).components
            let ping = now.addingTimeInterval(max(0, Double(left.seconds) + Double(left.attoseconds) / 1e18))
            deadline = min(deadline ?? ping, ping)
        }
        guard let deadline else {
            timer?.task.cancel()
            timer = nil
            return
        }
        if let timer, timer.deadline == deadline { return }
        timer?.task.cancel()
        let continuation = continuation
        let delay = max(0, deadline.timeIntervalSince(now)) + 0.001
        timer = (
            deadline,
            Task {
                try? await Task.sleep(for: .milliseconds(Int64(delay * 1_000)))
                if !Task.isCancelled { continuation.yield(.wake) }
            }
        )
    }

    /// One finished visit: the core updated and its history record kept for the next commit. The
    /// `.flush` queued behind it makes it durable together with the visits that finished meanwhile.
    /// Returns the visit's site; nil when its job is gone (a reload removed it).
    func record(_ jobID: String, _ observation: PageObservation, listed: ListedCookies?) -> String? {
        let now = Date()
        refreshBaseline()
        guard let outcome = core.finish(jobID, observation: observation, listed: listed, at: now) else { return nil }
        unwrittenHistory.append(outcome.record)
        removeOldHistory(now: now)
        logVisit(jobID, outcome.record, now: now)
        if let round = outcome.round {
            unflushedRounds.append(round)
            noteRound(round)
            endLogins(site: round.site)
        }
        return outcome.record.site
    }

    /// Closes the site's sessions (every site's when nil) once its round is complete, off the loop: the
    /// next round signs in afresh, and each closed session is logged out when its last visit is over.
    func endLogins(site: String?) {
        let logins = logins
        let logger = logger
        Task {
            for problem in await logins.endRound(site: site) {
                logger.warning("\(problem)", metadata: site.map { ["site": "\($0)"] })
            }
        }
    }

    /// How long a flush waits for more visits to join it: one fsync pair then serves every visit that
    /// finished in the window (a flush per handful of visits kept the loop waiting on the disk for
    /// most of a busy round). A visit's line is durable at most this much later; the order of what is
    /// made durable (history, state, alerts) is unchanged.
    static let groupCommitWindow = Duration.milliseconds(10)

    /// Queues a `.flush` unless one is queued: after `groupCommitWindow`, behind the events that
    /// arrived meanwhile.
    func queueFlush() {
        guard !flushQueued else { return }
        flushQueued = true
        let continuation = continuation
        let window = Self.groupCommitWindow
        Task {
            try? await Task.sleep(for: window)
            continuation.yield(.flush)
        }
    }

    /// Group commit of the visits recorded since the last flush, in the order the crash guarantees
    /// need: the history lines (one fsync), then the state with the rounds' alert events in its
    /// outbox (one journal write and fsync), then `alerts.jsonl`; once that is done (`committed`), the
    /// webhook and Alertmanager. With 32 visits in flight, one fsync pair serves many visits instead of
    /// each. The writes run on the committer's thread while the loop goes on; a flush that comes while
    /// one is in flight follows it.
    func flush() {
        guard !commitInFlight else {
            flushWanted = true
            return
        }
        let rounds = unflushedRounds
        unflushedRounds = []
        let changes = core.takeChanges()
        let state: Committer.Commit.StateWrite =
            if let changes, !store.wantsSnapshot { .append(changes) } else { .snapshot(core.state) }
        let commit = Committer.Commit(
            history: unwrittenHistory, state: state, alerts: rounds.isEmpty ? [] : core.outbox, rounds: rounds)
        unwrittenHistory = []
        guard !commit.isEmpty else {
            noteFlush()
            return
        }
        commitInFlight = true
        let continuation = continuation
        committer.start(commit) { continuation.yield(.committed) }
    }

    /// A commit is durable: its alert events are logged and marked written, its rounds forwarded.
    func committed(_ commit: Committer.Commit, historyLines: Int, historyBytes: Int) {
        defer { noteFlush() }
        metrics.update { metrics in
            metrics.historyLines = historyLines
            metrics.historyBytes = historyBytes
        }
        logDelivered(commit.alerts)
        core.confirmOutbox(first: commit.alerts.count)
        for round in commit.rounds { forward(round: round) }
    }

    func logDelivered(_ events: [AlertEvent]) {
        for event in events {
            logger.notice(
                "alert \(event.event.rawValue): \(event.finding.message)",
                metadata: ["alert": "\(event.alert)", "site": "\(event.finding.site)"])
        }
    }

    /// Appends the outbox's events to `alerts.jsonl` (fsynced), logs them, and marks them written; the
    /// state must already hold them (`saveState`), so a crash in between neither loses nor repeats one.
    func deliverOutbox() throws(FileError) {
        guard !core.outbox.isEmpty else { return }
        try alertsLog.deliver(core.outbox)
        logDelivered(core.outbox)
        core.confirmOutbox()
    }

    /// Saves what changed since the last save as journal lines (one write, one fsync), or a snapshot
    /// when the journal's replacing lines outweigh the state or a reload changed the set of page variants.
    func saveState() throws(FileError) {
        let changes = core.takeChanges()
        try store.save(changes) { core.state }
    }

    /// Hands the webhook events not yet accepted (and not in flight) and, after a round, the site's
    /// Alertmanager alerts to the forwarder.
    func forward(round: DaemonCore.SiteRound?) {
        guard let forwarder else { return }
        let events = core.webhookPending.filter { !webhookInFlight.contains($0.key) }
        webhookInFlight.formUnion(events.map(\.key))
        forwarder.enqueue(AlertForwarder.batch(webhook: events, round: round))
    }

}
