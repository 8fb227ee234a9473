import AlertDelivery
import Config
import Foundation
import Glibc
import JournalLogging
import Logging
import Scanning
import Transport
import Watch

/// `cookiewatch run`: the I/O shell around `DaemonCore`. One loop owns every piece of state and reads
/// one stream of events (visits finished, timer, signals); visits and alert deliveries run on their
/// own tasks and report back through the stream. It sleeps until the next due scan or watchdog ping.
public final class Daemon {
    /// Where the loop's events arrive. Created first thing in `run` with the signal handlers in place,
    /// so a SIGTERM during start-up is a clean stop once start-up is done, not a kill.
    public final class Inbox: Sendable {
        enum Event: Sendable {
            case visited(jobID: String, exchange: Exchange)
            case wake
            case signal(Int32)
        }
        let events: AsyncStream<Event>
        let continuation: AsyncStream<Event>.Continuation
        private let signals: SignalEvents

        /// Takes over SIGHUP, SIGTERM and SIGINT.
        public init() {
            let (events, continuation) = AsyncStream.makeStream(of: Event.self)
            self.events = events
            self.continuation = continuation
            signals = SignalEvents([SIGHUP, SIGTERM, SIGINT]) { continuation.yield(.signal($0)) }
        }
    }

    private var core: DaemonCore
    private let configPath: String
    private let stateDirectory: String
    private let alertsPath: String
    private let history: HistoryLog
    private let stateFile: StateFile
    private let alertsLog: AlertsLog
    private let notifier: SystemdNotifier
    private let watchdogInterval: Duration?
    private let fetcher: CurlFetcher
    private let deliveryFetcher: CurlFetcher
    private var forwarder: AlertForwarder?
    private let logger: Logger
    private var failures: RepeatedErrorGate
    private var running: [String: Task<Void, Never>] = [:]
    private var timer: (deadline: Date, task: Task<Void, Never>)?
    private var nextWatchdog: ContinuousClock.Instant?
    private var reloadProblem: String?
    private var lastStatus = ""
    private var lastStatusGist = ""
    private var lastStatusTime = Date.distantPast
    private var retentionDay: Int64 = -1
    private let baselineFile: BaselineFile
    /// The modification time of `baseline.json` last read; nil when there was none.
    private var baselineStamp: Date?
    private let inbox: Inbox
    private var continuation: AsyncStream<Inbox.Event>.Continuation { inbox.continuation }

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
        do {
            let opened = try HistoryLog.open(directory: stateDirectory + "/history", now: now)
            history = opened.log
            if let tail = opened.recovery.quarantined { logger.warning("history: \(tail)") }
            for broken in opened.recovery.unparseable {
                logger.error("history: \(broken.file) line \(broken.line) is not a record: \(broken.reason)")
            }
            stateFile = StateFile(stateDirectory: stateDirectory)
            var saved = try stateFile.load()
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
            core = try DaemonCore(
                configuration: configuration, saved: saved, now: now, seed: UInt64.random(in: .min ... .max),
                fingerprinter: key.fingerprinter, speedup: speedup)
            let written = Set(recovered.events.map(eventKey))
            let unsent = core.outbox.filter { !written.contains(eventKey($0)) }
            try alertsLog.deliver(unsent)
            core.confirmOutbox()
            try stateFile.save(core.state)
            fetcher = try Self.fetcher(configuration)
            deliveryFetcher = try CurlFetcher()
            forwarder = Self.forwarder(configuration, fetcher: deliveryFetcher, logger: logger)
            forwarder?.enqueue(AlertForwarder.batch(events: unsent))
        } catch let error as FileError {
            throw DaemonStartupError(error.description)
        } catch let error as ScanPlanError {
            throw DaemonStartupError(error.description)
        } catch let error as FetcherSetupError {
            throw DaemonStartupError("cannot start libcurl: \(error)", exitCode: 3)
        } catch {
            throw DaemonStartupError("\(error)", exitCode: 3)
        }
    }

    private static func fetcher(_ configuration: Configuration) throws(FetcherSetupError) -> CurlFetcher {
        try CurlFetcher(
            concurrency: ConcurrencyLimits(
                maxTransfers: configuration.limits.concurrency,
                maxTransfersPerHost: configuration.limits.perHostConcurrency))
    }

    private static func forwarder(_ configuration: Configuration, fetcher: CurlFetcher, logger: Logger)
        -> AlertForwarder?
    {
        let sinks = configuration.alerts
        guard sinks.webhook != nil || sinks.alertmanager != nil else { return nil }
        let webhook = sinks.webhook.map { hook in
            var token: String?
            if let file = hook.tokenFile {
                token = Self.token(file)
                if token == nil {
                    logger.error("\(file): cannot read the webhook token; the webhook is sent without one")
                }
            }
            return WebhookClient(url: hook.url, token: token, fetcher: fetcher)
        }
        let alertmanager = sinks.alertmanager.map { AlertmanagerClient(baseURL: $0.url, fetcher: fetcher) }
        return AlertForwarder(webhook: webhook, alertmanager: alertmanager, logger: logger)
    }

    /// The token in `path`, trimmed; nil (and the webhook goes without) when it cannot be read.
    private static func token(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    /// Runs until SIGTERM or SIGINT (exit 0) or a failure to write history or state (exit 3).
    public func run() async -> Int32 {
        refreshBaseline()
        removeOldHistory(now: Date())
        if let watchdogInterval { nextWatchdog = .now + watchdogInterval }
        notify(.ready, .status(status(now: Date())))
        logger.notice("started: \(core.configuration.summary)")
        step()
        for await event in inbox.events {
            switch event {
            case .visited(let jobID, let exchange):
                running[jobID] = nil
                do {
                    try record(jobID, exchange)
                } catch {
                    logger.critical("cannot record a scan, stopping: \(error)")
                    stop()
                    return 3
                }
            case .wake:
                timer = nil
            case .signal(SIGHUP):
                reload()
            case .signal:
                stop()
                return 0
            }
            step()
        }
        return 0
    }

    /// After each event: ping the watchdog if due, start due visits, update the status, re-arm the timer.
    private func step() {
        if let due = nextWatchdog, let interval = watchdogInterval, ContinuousClock.now >= due {
            notify(.watchdog)
            nextWatchdog = .now + interval
        }
        let now = Date()
        for job in core.startDue(at: now) {
            let fetcher = fetcher
            let continuation = continuation
            running[job.id] = Task {
                let exchange = await fetcher.visit(job.target.request)
                continuation.yield(.visited(jobID: job.id, exchange: exchange))
            }
        }
        // A changed count or problem is told at once; the "next scan in" countdown at most every 10 s.
        let line = status(now: now)
        let gist = statusGist
        if gist != lastStatusGist || (line != lastStatus && now.timeIntervalSince(lastStatusTime) >= 10) {
            notify(.status(line))
        }
        arm(now: now)
    }

    /// Sleeps until the next due scan or watchdog ping; no polling in between.
    private func arm(now: Date) {
        var deadline = core.nextDue.flatMap { $0 > now ? $0 : nil }
        if let due = nextWatchdog {
            let seconds =
                Double((due - ContinuousClock.now).components.attoseconds) / 1e18
                + Double((due - ContinuousClock.now).components.seconds)
            let ping = now.addingTimeInterval(max(0, seconds))
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

    /// One finished visit: history line (synced), state with the round's alert events in its outbox,
    /// then `alerts.jsonl`, then the webhook and Alertmanager off the loop.
    private func record(_ jobID: String, _ exchange: Exchange) throws(FileError) {
        let now = Date()
        refreshBaseline()
        guard let outcome = core.finish(jobID, exchange: exchange, at: now) else { return }
        try history.append(outcome.record)
        try history.sync()
        removeOldHistory(now: now)
        logVisit(jobID, outcome.record, now: now)
        guard let round = outcome.round else {
            try stateFile.save(core.state)
            return
        }
        try stateFile.save(core.state)
        if !core.outbox.isEmpty {
            try alertsLog.deliver(core.outbox)
            for event in core.outbox {
                logger.notice(
                    "alert \(event.event.rawValue): \(event.finding.message)",
                    metadata: ["alert": "\(event.alert)", "site": "\(event.finding.site)"])
            }
            core.confirmOutbox()
        }
        forwarder?.enqueue(AlertForwarder.batch(round))
    }

    /// A failed scan is logged at warning, once per page per hour with the count held back since.
    private func logVisit(_ jobID: String, _ record: HistoryRecord, now: Date) {
        guard case .failure(let failure) = record.outcome else {
            let held = failures.recovered(jobID)
            if held > 0 { logger.notice("scan recovered after \(held + 1) failures", metadata: ["page": "\(jobID)"]) }
            return
        }
        guard case .log(let suppressed) = failures.occurrence(of: jobID, at: Int64(now.timeIntervalSince1970)) else {
            return
        }
        var metadata: Logger.Metadata = ["page": "\(jobID)", "code": "\(failure.code)"]
        if suppressed > 0 { metadata["repeats"] = "\(suppressed)" }
        logger.warning("scan failed: \(failure.message)", metadata: metadata)
    }

    /// SIGHUP: re-read and validate the configuration; on error keep the running one and say so.
    private func reload() {
        notify(.reloading())
        do {
            let configuration = try Configuration.load(path: configPath)
            try core.reload(configuration, now: Date())
            if configuration.directories.state != stateDirectory || configuration.alerts.alertsLog != alertsPath {
                logger.warning("a new state directory or alerts log takes effect at the next restart")
            }
            forwarder?.drain()
            forwarder = Self.forwarder(configuration, fetcher: deliveryFetcher, logger: logger)
            reloadProblem = nil
            logger.notice("reloaded \(configPath): \(configuration.summary)")
        } catch {
            let lines = "\(error)".split(separator: "\n")
            reloadProblem =
                (lines.first.map(String.init) ?? "invalid") + (lines.count > 1 ? " (and \(lines.count - 1) more)" : "")
            for line in lines { logger.error("reload failed, keeping the running configuration: \(line)") }
        }
        notify(.ready, .status(status(now: Date())))
    }

    /// SIGTERM/SIGINT: cancel visits in flight (they are scanned again at the next start), flush, save.
    private func stop() {
        notify(.stopping)
        timer?.task.cancel()
        let now = Date()
        for (jobID, task) in running {
            task.cancel()
            core.abandon(jobID, at: now)
        }
        running = [:]
        forwarder?.stop()
        do {
            try history.sync()
            try stateFile.save(core.state)
        } catch {
            logger.critical("cannot save on the way out: \(error)")
        }
        logger.notice("stopped")
    }

    /// Reads `baseline.json` when it appeared, changed or went away since the last look (a `stat`
    /// per visit). A damaged file is logged at err and the previous baseline kept.
    private func refreshBaseline() {
        let stamp = (try? FileManager.default.attributesOfItem(atPath: baselineFile.path))?[.modificationDate] as? Date
        guard stamp != baselineStamp else { return }
        baselineStamp = stamp
        do {
            core.baseline = try baselineFile.load()
            if let baseline = core.baseline {
                logger.notice(
                    "baseline loaded: \(baseline.sites.keys.sorted().joined(separator: ", ")), last pinned \(baseline.pinnedAt) by \(baseline.pinnedBy)"
                )
            }
        } catch {
            logger.error("\(error); keeping the previous baseline")
        }
    }

    private func removeOldHistory(now: Date) {
        let day = Int64(now.timeIntervalSince1970) / 86_400
        guard day != retentionDay else { return }
        retentionDay = day
        let days = Int(core.configuration.historyRetention.components.seconds / 86_400)
        do {
            for path in try history.removeSegments(olderThan: days, now: now) {
                logger.info("history retention (\(days) days): removed \(path)")
            }
        } catch {
            logger.error("history retention: \(error)")
        }
    }

    private func status(now: Date) -> String {
        core.status(now: now) + (reloadProblem.map { "; reload failed: " + $0 } ?? "")
    }

    /// The status without its countdown.
    private var statusGist: String { "\(core.jobs.count) \(core.firingCount) \(reloadProblem ?? "")" }

    private func notify(_ messages: NotifyMessage...) {
        if case .status(let line)? = messages.last {
            lastStatus = line
            lastStatusGist = statusGist
            lastStatusTime = Date()
        }
        do {
            try notifier.notify(messages)
        } catch  where error.errno == EAGAIN {
            logger.debug("sd_notify: the receiver's queue is full; dropped \(messages.map(\.text))")
        } catch {
            logger.warning("sd_notify: \(error)")
        }
    }
}
