import Dispatch
import Synchronization
import Watch

/// Makes the daemon's group commits durable on a thread of its own, so that the loop goes on recording
/// visits while the disk syncs: history lines (write, fsync), then the state (journal lines or a
/// snapshot, fsync), then `alerts.jsonl` (fsync), in that order, one commit at a time. With the loop
/// doing it, a busy round spent a third of the loop's time there and the loop, not libcurl, set the
/// pace (visits waiting for it while the fetch slots ran empty).
///
/// The loop hands over one commit and touches neither the state store nor the alert log until its
/// outcome is back (`takeOutcome`, after the `.committed` event or `wait`).
final class Committer: @unchecked Sendable {
    /// What one group commit makes durable.
    struct Commit: Sendable {
        /// History lines appended since the last commit (`HistoryLog.takePending`).
        var history: HistoryLog.Pending?
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
            guard history == nil, alerts.isEmpty, rounds.isEmpty, case .append(let changes) = state else {
                return false
            }
            return changes.isEmpty
        }
    }

    enum Outcome: Sendable {
        case done(Commit)
        case failed(FileError)
    }

    private let queue = DispatchQueue(label: "cookiewatch.commit")
    private let store: StateStore
    private let alertsLog: AlertsLog
    private let outcome = Mutex<Outcome?>(nil)

    init(store: StateStore, alertsLog: AlertsLog) {
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
            try commit.history?.commit()
            switch commit.state {
            case .append(let changes): try store.append(changes)
            case .snapshot(let state): try store.snapshot(state)
            }
            try alertsLog.deliver(commit.alerts)
            return .done(commit)
        } catch {
            return .failed(error)
        }
    }
}
