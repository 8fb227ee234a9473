import Dispatch
import Synchronization
import Watch

/// Makes the daemon's group commits durable on a thread of its own, so that the loop goes on recording
/// visits while the disk syncs: history lines (write, fsync), then the state (journal lines or a
/// snapshot, fsync), then `alerts.jsonl` (fsync), in that order, one commit at a time. With the loop
/// doing it, a busy round spent a third of the loop's time there and the loop, not libcurl, set the
/// pace (visits waiting for it while the fetch slots ran empty).
///
/// The loop hands over one commit and touches none of the history log, the state store and the alert
/// log until its outcome is back (`takeOutcome`, after the `.committed` event or `wait`).
final class Committer: @unchecked Sendable {
    /// What one group commit makes durable.
    struct Commit: Sendable {
        /// The history records of the visits recorded since the last commit, in order: the committer
        /// chains them and writes their lines (the line's JSON and its hash were a fifth of the loop).
        var history: [HistoryRecord]
        var state: StateWrite
        /// Events to append to `alerts.jsonl`: the outbox, which the state written just before holds.
        var alerts: [AlertEvent]
        /// The rounds closed by the visits committed: forwarded once durable.
        var rounds: [DaemonCore.SiteRound]

        enum StateWrite: Sendable {
            case append([StateChange])
            case snapshot(WatchState)
        }

        /// Nothing to write: no line, no change, no round.
        var isEmpty: Bool {
            guard history.isEmpty, alerts.isEmpty, rounds.isEmpty, case .append(let changes) = state else {
                return false
            }
            return changes.isEmpty
        }
    }

    enum Outcome: Sendable {
        /// With the history log's totals after it.
        case done(Commit, historyLines: Int, historyBytes: Int)
        case failed(FileError)
    }

    private let queue = DispatchQueue(label: "cookiewatch.commit")
    private let history: HistoryLog
    private let store: StateStore
    private let alertsLog: AlertsLog
    private let outcome = Mutex<Outcome?>(nil)

    init(history: HistoryLog, store: StateStore, alertsLog: AlertsLog) {
        self.history = history
        self.store = store
        self.alertsLog = alertsLog
    }

    /// Starts making `commit` durable; `done` is called once its outcome can be taken.
    func start(_ commit: Commit, done: @escaping @Sendable () -> Void) {
        queue.async {
            let result = self.run(commit)
            self.outcome.withLock { $0 = result }
            done()
        }
    }

    /// Waits until the commit started last, if any, is over.
    func wait() {
        queue.sync {}
    }

    /// The outcome of the last commit, once; nil when it was taken or none finished.
    func takeOutcome() -> Outcome? {
        outcome.withLock { outcome in
            defer { outcome = nil }
            return outcome
        }
    }

    private func run(_ commit: Commit) -> Outcome {
        do throws(FileError) {
            for record in commit.history { try history.append(record) }
            try history.sync()
            switch commit.state {
            case .append(let changes): try store.append(changes)
            case .snapshot(let state): try store.snapshot(state)
            }
            try alertsLog.deliver(commit.alerts)
            return .done(commit, historyLines: history.linesWritten, historyBytes: history.bytesWritten)
        } catch {
            return .failed(error)
        }
    }
}
