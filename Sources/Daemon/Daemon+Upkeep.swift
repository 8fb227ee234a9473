import AlertDelivery
import Browser
import Config
import Foundation
import Glibc
import JournalLogging
import Logging
import Scanning
import Transport
import Watch

/// The daemon's housekeeping around the loop: sinks, reload, stop, baseline, retention, status.
extension Daemon {
    static func fetcher(_ configuration: Configuration) throws(FetcherSetupError) -> CurlFetcher {
        try CurlFetcher(
            concurrency: ConcurrencyLimits(
                maxTransfers: configuration.limits.concurrency,
                maxTransfersPerHost: configuration.limits.perHostConcurrency))
    }

    /// The alert sinks of `configuration`. A configured token that cannot be read now (it was checked
    /// when the config loaded, but a file can go) is an error: the webhook never goes without it.
    static func forwarder(
        _ configuration: Configuration, fetcher: CurlFetcher, logger: Logger, logWindow: Int64, inbox: Inbox
    ) throws(AlertSinkError) -> AlertForwarder? {
        let sinks = configuration.alerts
        guard sinks.webhook != nil || sinks.alertmanager != nil else { return nil }
        var webhook: WebhookClient?
        if let hook = sinks.webhook {
            var token: String?
            if let file = hook.tokenFile {
                token = Self.token(file)
                if token == nil {
                    throw AlertSinkError("alerts.webhook.tokenFile: cannot read the webhook token file \(file)")
                }
            }
            webhook = WebhookClient(url: hook.url, token: token, fetcher: fetcher)
        }
        let alertmanager = sinks.alertmanager.map { AlertmanagerClient(baseURL: $0.url, fetcher: fetcher) }
        let continuation = inbox.continuation
        return AlertForwarder(webhook: webhook, alertmanager: alertmanager, logger: logger, logWindow: logWindow) {
            key, done in
            continuation.yield(.webhook(key: key, done: done))
        }
    }

    /// The token in `path`, trimmed; nil when it cannot be read or is empty.
    static func token(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    /// A failed scan is logged at warning, once per page per hour with the count held back since.
    func logVisit(_ jobID: String, _ record: HistoryRecord, now: Date) {
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
    func reload() {
        notify(.reloading())
        do {
            let configuration = try Configuration.load(path: configPath)
            let sinks = try Self.forwarder(
                configuration, fetcher: deliveryFetcher, logger: logger, logWindow: failures.window, inbox: inbox)
            if browser == nil { browser = try ScanEngines.browser(for: configuration) }
            try core.reload(configuration, now: Date())
            noteReload()
            // Journeys may have changed, or their variants gone: every session ends (logged out once
            // its visits in flight are over) and the next visits sign in with the new configuration.
            endLogins(site: nil)
            if configuration.directories.state != stateDirectory || configuration.alerts.alertsLog != alertsPath {
                logger.warning("a new state directory or alerts log takes effect at the next restart")
            }
            if configuration.metrics.map({ "\($0.host):\($0.port)" })
                != servedMetrics.map({ "\($0.host):\($0.port)" })
            {
                logger.warning("a new metrics.listen takes effect at the next restart")
            }
            forwarder?.drain()
            forwarder = sinks
            webhookInFlight = []
            forward(round: nil)
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

    /// SIGTERM/SIGINT: cancel visits in flight (they are scanned again at the next start), flush, and
    /// save the state unless `saving` is false (after a failed write, the saved state is the right one).
    /// `writingHistory` false: a commit failed, and no later history line may be written after it.
    /// Returns false when the commit in flight turned out to have failed (the exit is then 3).
    @discardableResult
    func stop(saving: Bool, writingHistory: Bool = true) -> Bool {
        notify(.stopping)
        // The commit in flight finishes first: the saves below follow it, in order.
        committer.wait()
        var saving = saving
        var writingHistory = writingHistory
        var succeeded = true
        if let outcome = committer.takeOutcome() {
            commitInFlight = false
            switch outcome {
            case .done(let commit, _, _):
                logDelivered(commit.alerts)
                core.confirmOutbox(first: commit.alerts.count)
            case .failed(let error):
                logger.critical("cannot record a scan, stopping: \(error)")
                saving = false
                writingHistory = false
                succeeded = false
            }
        }
        timer?.task.cancel()
        let now = Date()
        for (jobID, task) in running {
            task.cancel()
            core.abandon(jobID, at: now)
        }
        // Driven visits end, as cancelled, when the fetcher stops; their reports are not read any more.
        for jobID in driven { core.abandon(jobID, at: now) }
        running = [:]
        driven = []
        forwarder?.stop()
        metricsEndpoint?.stop()
        do {
            if writingHistory {
                for record in unwrittenHistory { try history.append(record) }
                try history.sync()
            }
            unwrittenHistory = []
            if saving {
                try saveState()
                // A round that closed inside the flush window: its events go to alerts.jsonl now, in
                // the same order as a flush (history, state, alerts), not at the next start.
                if !unflushedRounds.isEmpty {
                    try deliverOutbox()
                    try saveState()
                }
            }
        } catch {
            logger.critical("cannot save on the way out: \(error)")
        }
        // After the saves: stopping libcurl may wait on a name lookup still running.
        fetcher.shutdown()
        logger.notice("stopped")
        return succeeded
    }

    /// Reads `baseline.json` when it appeared, changed or went away since the last look (`baseline pin`
    /// writes it while the daemon runs). One `stat` before every visit is recorded, so that the first
    /// list recorded after a pin carries its drift from it (a look once a second let a change slip
    /// through unmarked). A damaged file is logged at err and the previous baseline kept.
    func refreshBaseline() {
        let stamp = Self.modificationStamp(BaselineFile.fileName, in: stateDirectoryFD)
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

    /// The modification time and inode of `name` in the directory open as `directory`, nil when it does
    /// not exist: one `fstatat(2)`, one path component looked up (this runs once per visit; walking the
    /// whole state path was 2 % of a round).
    static func modificationStamp(_ name: String, in directory: Int32) -> FileStamp? {
        var info = stat()
        guard fstatat(directory, name, &info, 0) == 0 else { return nil }
        return FileStamp(seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec, inode: info.st_ino)
    }

    func removeOldHistory(now: Date) {
        let day = Int64(now.timeIntervalSince1970) / 86_400
        guard day != retentionDay else { return }
        retentionDay = day
        // The history log is the committer's while a commit is in flight (once a day: wait for it).
        committer.wait()
        let days = Int(core.configuration.historyRetention.components.seconds / 86_400)
        do {
            for path in try history.removeSegments(olderThan: days, now: now) {
                logger.info("history retention (\(days) days): removed \(path)")
            }
        } catch {
            logger.error("history retention: \(error)")
        }
    }

    func status(now: Date) -> String {
        core.status(now: now) + (reloadProblem.map { "; reload failed: " + $0 } ?? "")
    }

    /// The status without its countdown.
    var statusGist: StatusGist {
        StatusGist(pages: core.jobCount, firing: core.firingCount, reloadProblem: reloadProblem)
    }

    func notify(_ messages: NotifyMessage...) {
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

/// What a status line says apart from its countdown: a change is told at once.
struct StatusGist: Equatable {
    var pages: Int
    var firing: Int
    var reloadProblem: String?
}

/// An alert sink that cannot be set up as configured (its credential cannot be read).
struct AlertSinkError: Error, Sendable, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// What tells that a file changed: its modification time and inode (a file renamed over it).
struct FileStamp: Hashable {
    var seconds: Int
    var nanoseconds: Int
    var inode: UInt
}
