import Audit
import Foundation
import Testing
import Watch

@testable import Daemon

/// The committer writes a group commit off the daemon's loop in the order the crash guarantees need:
/// history, then state, then `alerts.jsonl`; a write that fails stops the commit there.
@Suite("Committer")
struct CommitterTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let page = PageRef(url: "https://a.example/", variant: "v")

    static func record(_ second: Int) -> HistoryRecord {
        .failure(
            site: "s", page: page, time: now.addingTimeInterval(TimeInterval(second)),
            failure: HistoryFailure(code: "dns", message: "no such host", url: page.url))
    }

    static let event = AlertEvent(
        event: .firing, alert: "0123456789abcdef", time: now, since: now,
        finding: AlertFinding(
            id: "0123456789abcdef", kind: "undeclared", severity: "high", site: "s", cookie: "_ga",
            message: "\"_ga\" is stored but the charter does not declare it", pages: [page]))

    static func lines(_ path: String) -> Int {
        ((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()).filter { $0 == 0x0A }.count
    }

    static func run(_ committer: Committer, _ commit: Committer.Commit) -> Committer.Outcome? {
        let done = DispatchSemaphore(value: 0)
        committer.start(commit) { done.signal() }
        done.wait()
        return committer.takeOutcome()
    }

    @Test(
        "a commit chains and writes the history lines, then the state, then the alerts; a failed state write stops it before the alerts"
    )
    func order() throws {
        let directory = NSTemporaryDirectory() + "cw-commit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let history = try HistoryLog.open(directory: directory + "/history", now: Self.now).log
        let store = StateStore(stateDirectory: directory)
        _ = try store.load()
        let alerts = try AlertsLog(path: directory + "/alerts.jsonl")
        let committer = Committer(history: history, store: store, alertsLog: alerts)

        let state = PageState(site: "s", page: Self.page, lastDigest: nil, consecutiveFailures: 2, nextDue: Self.now)
        let first = Self.run(
            committer,
            Committer.Commit(
                history: [Self.record(0), Self.record(1)], state: .append([.page(state)]), alerts: [Self.event],
                rounds: []))
        guard case .done(_, let lines, _) = first else {
            Issue.record("expected the commit done, got \(String(describing: first))")
            return
        }
        #expect(lines == 2)
        #expect(Self.takeNone(committer))
        #expect(Self.lines(directory + "/history/" + (try Self.segmentName(directory))) == 2)
        #expect(Self.lines(store.journalPath) == 1)
        #expect(Self.lines(directory + "/alerts.jsonl") == 1)

        // The snapshot cannot be created (its temporary name is taken by a directory): the history
        // lines before it are written, the alerts after it are not.
        let blocker = store.snapshotPath + ".new-\(getpid())"
        try FileManager.default.createDirectory(atPath: blocker + "/keep", withIntermediateDirectories: true)
        let failed = Self.run(
            committer,
            Committer.Commit(
                history: [Self.record(2)], state: .snapshot(WatchState()), alerts: [Self.event], rounds: []))
        guard case .failed(let error) = failed else {
            Issue.record("expected the commit to fail, got \(String(describing: failed))")
            return
        }
        #expect(error.description.contains("state.json.new-"), "\(error)")
        #expect(Self.lines(directory + "/history/" + (try Self.segmentName(directory))) == 3)
        #expect(Self.lines(directory + "/alerts.jsonl") == 1)
    }

    static func segmentName(_ directory: String) throws -> String {
        try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory + "/history").first { $0.hasSuffix(".jsonl") }
        )
    }

    static func takeNone(_ committer: Committer) -> Bool { committer.takeOutcome() == nil }
}
