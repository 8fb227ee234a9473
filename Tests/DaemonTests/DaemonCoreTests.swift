import Audit
import Config
import CookieModel
import Daemon
import Foundation
import Testing
import Watch

/// The daemon's decisions as a value, on explicit times and synthetic visits: no network, no files
/// beyond the configuration it loads.
@Suite("DaemonCore: scheduling, rounds, alerts and state")
struct DaemonCoreTests {
    static let start = Date(timeIntervalSince1970: 1_795_824_000)
    static let fingerprinter = ValueFingerprinter(key: Array(repeating: 7, count: 32))

    /// A configuration of one site with `paths` on example.org, scanned hourly without jitter.
    static func configuration(paths: [String], interval: String = "1h") throws -> Configuration {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(
            #"{"name": "c", "cookies": [{"name": "sessionid", "provider": "P", "purpose": "p", "category": "necessary", "duration": "2 weeks"}]}"#
                .utf8
        ).write(to: directory.appendingPathComponent("charter.json"))
        let pages = paths.map { "{\"url\": \"https://example.org\($0)\"}" }.joined(separator: ", ")
        let config = """
            {"schedule": {"interval": "\(interval)", "jitter": "0s"}, "stateDirectory": "\(directory.path)/state",
             "sites": [{"name": "shop", "charters": ["charter.json"], "variants": [{"name": "v", "consent": false}],
                        "pages": [\(pages)]}]}
            """
        let path = directory.appendingPathComponent("config.json").path
        try Data(config.utf8).write(to: URL(fileURLWithPath: path))
        return try Configuration.load(path: path)
    }

    /// A visit of `job` that stored `cookies` (full Set-Cookie values), or failed.
    static func visit(_ job: DaemonJob, setting cookies: [String], failed: Bool = false, at now: Date) throws
        -> PageObservation
    {
        let url = try CookieURL(parsing: job.page.url)
        var jar = CookieJar()
        let outcomes = cookies.map { jar.receive(setCookie: $0, from: url, at: now) }
        return PageObservation(
            page: job.page, consentGiven: false,
            hops: failed ? [] : [ObservedHop(url: url, status: 200, date: now, outcomes: outcomes)],
            failure: failed ? ObservedFailure(code: "timeout", message: "no answer in 30s", url: job.page.url) : nil)
    }

    func core(_ configuration: Configuration, saved: WatchState? = nil, at now: Date = start) throws -> DaemonCore {
        try DaemonCore(configuration: configuration, saved: saved, now: now, seed: 1, fingerprinter: Self.fingerprinter)
    }

    @Test("never-scanned page variants are due at once; restored ones keep their due time; caps hold")
    func firstStart() throws {
        let configuration = try Self.configuration(paths: ["/", "/a", "/b", "/c", "/d"])
        var fresh = try core(configuration)
        // The default caps: 4 fetches at once, 1 per host (example.org); two visits per fetch slot.
        let started = fresh.startDue(at: Self.start)
        #expect(configuration.visitCaps.perHost == 2 * configuration.limits.perHostConcurrency)
        #expect(started.count == configuration.visitCaps.perHost)
        #expect(fresh.startDue(at: Self.start).isEmpty)

        let due = Self.start.addingTimeInterval(1_800)
        let saved = WatchState(pages: [
            PageState(
                site: "shop", page: PageRef(url: "https://example.org/", variant: "v"), lastDigest: nil,
                consecutiveFailures: 0, nextDue: due)
        ])
        var restored = try core(configuration, saved: saved)
        var ids: [String] = []
        for _ in 0..<10 {
            for job in restored.startDue(at: Self.start) {
                ids.append(job.id)
                _ = restored.finish(job, observation: try Self.visit(job, setting: [], at: Self.start), at: Self.start)
            }
        }
        #expect(ids.count == 4 && !ids.contains("shop https://example.org/ [v]"))
        #expect(restored.startDue(at: due.addingTimeInterval(-1)).isEmpty)
        #expect(restored.startDue(at: due).map(\.id) == ["shop https://example.org/ [v]"])
    }

    @Test("a site's alerts advance once per round: a page scanned twice before the others is not two passes")
    func rounds() throws {
        var core = try core(Self.configuration(paths: ["/", "/a"]))
        // Both start (two visits per fetch slot; the default per-host cap is 1).
        let started = core.startDue(at: Self.start)
        #expect(started.count == 2)
        let a = try #require(started.first)
        let ga = ["_ga=1; Secure"]
        #expect(
            core.finish(a, observation: try Self.visit(a, setting: ga, at: Self.start), at: Self.start).round == nil)
        #expect(
            core.finish(a, observation: try Self.visit(a, setting: ga, at: Self.start), at: Self.start).round == nil)
        let b = try #require(started.last)
        #expect(b.id != a.id)
        let closing = core.finish(b, observation: try Self.visit(b, setting: [], at: Self.start), at: Self.start)
        let round = try #require(closing.round)
        #expect(round.events.map(\.event) == [.firing])
        #expect(round.events.first?.finding.kind == "undeclared" && round.events.first?.finding.cookie == "_ga")
        #expect(round.firing.map(\.finding.cookie) == ["_ga"])
        #expect(round.interval == .seconds(3_600))
    }

    @Test("alert events stay in the outbox, and in the saved state, until alerts.jsonl has them")
    func outbox() throws {
        var core = try core(Self.configuration(paths: ["/"]))
        let job = try #require(core.startDue(at: Self.start).first)
        let outcome = core.finish(
            job, observation: try Self.visit(job, setting: ["_ga=1; Secure"], at: Self.start), at: Self.start)
        #expect(outcome.round?.events.count == 1)
        #expect(core.outbox.count == 1)
        #expect(core.state.outbox?.map(\.alert) == outcome.round?.events.map(\.alert))
        core.confirmOutbox()
        #expect(core.outbox.isEmpty && core.state.outbox == nil)
        // After a restart from that state the alert is still firing: the next round repeats nothing yet.
        var restarted = try self.core(Self.configuration(paths: ["/"]), saved: core.state)
        #expect(restarted.firingCount == 1)
        let later = Self.start.addingTimeInterval(3_600)
        let next = try #require(restarted.startDue(at: later).first)
        let round = restarted.finish(
            next, observation: try Self.visit(next, setting: ["_ga=1; Secure"], at: later), at: later
        ).round
        #expect(round?.events.isEmpty == true)
    }

    @Test("history lines: full list first, unchanged when the same, drift when changed; failures keep the list")
    func records() throws {
        var core = try core(Self.configuration(paths: ["/"]))
        var now = Self.start
        func scan(_ cookies: [String], failed: Bool = false) throws -> HistoryRecord {
            let job = try #require(core.startDue(at: now).first)
            let record = core.finish(
                job, observation: try Self.visit(job, setting: cookies, failed: failed, at: now), at: now
            )
            .record
            now = try #require(core.nextDue)
            return record
        }
        guard case .cookies(_, let first, let drift) = try scan(["sessionid=a; Max-Age=60"]).outcome else {
            Issue.record("the first scan lists its cookies")
            return
        }
        #expect(first.map(\.name) == ["sessionid"] && drift.isEmpty)
        #expect(try scan(["sessionid=b; Max-Age=60"]).digest == core.state.pages.first?.lastDigest)
        guard case .failure(let failure) = try scan([], failed: true).outcome else {
            Issue.record("a failed visit is a failure line")
            return
        }
        #expect(failure.code == "timeout" && core.state.pages.first?.consecutiveFailures == 1)
        guard case .cookies(_, _, let changed) = try scan(["sessionid=b; Max-Age=60; Secure"]).outcome else {
            Issue.record("a changed attribute writes the list again")
            return
        }
        #expect(changed.map(\.change) == [.changed])
        #expect(core.state.pages.first?.consecutiveFailures == 0)
    }

    @Test("a reload keeps the memory of pages that remain, forgets removed ones, and scans new ones at once")
    func reload() throws {
        var core = try core(Self.configuration(paths: ["/", "/a"]))
        var jobs: [DaemonJob] = []
        while case let started = core.startDue(at: Self.start), !started.isEmpty {
            for job in started {
                jobs.append(job)
                _ = core.finish(
                    job, observation: try Self.visit(job, setting: ["sessionid=1"], at: Self.start), at: Self.start)
            }
        }
        #expect(jobs.count == 2)
        let due = core.state.pages.first { $0.page.url == "https://example.org/" }?.nextDue
        #expect(due != nil)
        try core.reload(Self.configuration(paths: ["/", "/b"]), now: Self.start.addingTimeInterval(10))
        #expect(core.state.pages.map(\.page.url) == ["https://example.org/"])
        #expect(core.startDue(at: Self.start.addingTimeInterval(10)).map(\.page.url) == ["https://example.org/b"])
        #expect(core.state.pages.first?.nextDue == due)
        let removed = try #require(jobs.first { $0.page.url == "https://example.org/a" })
        let observation = PageObservation(page: removed.page, consentGiven: false, hops: [])
        #expect(core.finish(removed.id, observation: observation, at: Self.start) == nil)
    }

    @Test("a visit started before a reload that moved its page variant is saved under its id, at its new place")
    func finishAcrossReload() throws {
        var core = try core(Self.configuration(paths: ["/a", "/b"]))
        let started = core.startDue(at: Self.start)
        let b = try #require(started.first { $0.page.url == "https://example.org/b" })
        // "/b" moves from the second place to the third.
        try core.reload(Self.configuration(paths: ["/", "/a", "/b"]), now: Self.start.addingTimeInterval(1))
        let afterReload = core.takeChanges()
        #expect(afterReload == nil, "a reload is saved as a snapshot")
        _ = core.finish(b, observation: try Self.visit(b, setting: ["sessionid=1"], at: Self.start), at: Self.start)
        let taken = core.takeChanges()
        let changes = try #require(taken)
        let saved = changes.compactMap { change -> PageState? in
            if case .page(let page) = change { page } else { nil }
        }
        #expect(saved.map(\.page.url) == ["https://example.org/b"])
        #expect(saved.first?.lastCookies?.map(\.name) == ["sessionid"])
        #expect(saved.first?.nextDue != nil)
    }

    @Test("cookies lines of a pinned page variant carry their drift from the baseline; others carry none")
    func baselineDrift() throws {
        var core = try core(Self.configuration(paths: ["/"]))
        var now = Self.start
        func scan(_ cookies: [String]) throws -> HistoryRecord {
            let job = try #require(core.startDue(at: now).first)
            let record = core.finish(job, observation: try Self.visit(job, setting: cookies, at: now), at: now).record
            now = try #require(core.nextDue)
            return record
        }
        let first = try scan(["sessionid=a; Secure"])
        #expect(first.baselineDrift == nil)
        guard case .cookies(_, let approved, _) = first.outcome else {
            Issue.record("the first scan lists its cookies")
            return
        }
        let page = PageRef(url: "https://example.org/", variant: "v")
        core.baseline = Baseline(
            pinnedAt: Self.start, pinnedBy: "dpo",
            sites: [
                "shop": SiteBaseline(
                    pinnedAt: Self.start, pinnedBy: "dpo", pages: [PinnedPage(page: page, cookies: approved)])
            ])
        let drifted = try scan(["sessionid=a; Secure", "_ga=1; Secure"])
        #expect(drifted.baselineDrift?.map(\.change) == [.appeared])
        #expect(drifted.baselineDrift?.first?.cookie.name == "_ga")
        #expect(try scan(["sessionid=a; Secure", "_ga=1; Secure"]).baselineDrift == nil)  // unchanged line
        #expect(try scan(["sessionid=a; Secure"]).baselineDrift == [])
    }

    @Test("an alert cut to 100 pages is held by a failed page only if that page last stored its cookie")
    func cutAlertHeld() throws {
        let paths = (0..<102).map { "/p\($0)" }
        for failing in [0, 1] {
            var core = try core(Self.configuration(paths: paths))
            var now = Self.start
            // Round 1: /p0 sets only sessionid, every other page _ga too: the _ga alert fires, cut.
            // Visits whatever is due, moving the clock to the next due time, until the site's round closes.
            func round(_ cookies: (Int) -> [String], failed: Int? = nil) throws -> DaemonCore.SiteRound? {
                for _ in 0..<10_000 {
                    for job in core.startDue(at: now) {
                        let index = Int(job.page.url.split(separator: "p").last ?? "") ?? -1
                        let visit = try Self.visit(job, setting: cookies(index), failed: index == failed, at: now)
                        if let closed = core.finish(job, observation: visit, at: now).round { return closed }
                    }
                    now = try #require(core.nextDue)
                }
                return nil
            }
            let first = try #require(
                try round { $0 == 0 ? ["sessionid=1; Secure"] : ["sessionid=1; Secure", "_ga=1; Secure"] })
            let ga = try #require(first.events.first { $0.finding.cookie == "_ga" })
            #expect(ga.event == .firing && ga.finding.pageCount == 101 && ga.finding.pages.count == 100)
            // Round 2: _ga gone everywhere, one page down. /p0 never stored _ga: resolved. /p1 did: held.
            let second = try #require(try round({ _ in ["sessionid=1; Secure"] }, failed: failing))
            let resolved = second.events.contains { $0.finding.cookie == "_ga" && $0.event == .resolved }
            #expect(resolved == (failing == 0), "failing /p\(failing)")
        }
    }

    @Test("the status line counts pages and firing alerts and says when the next scan is")
    func status() throws {
        var core = try core(Self.configuration(paths: ["/"]))
        #expect(core.status(now: Self.start) == "1 page, next scan in 0s, 0 alerts firing")
        let job = try #require(core.startDue(at: Self.start).first)
        #expect(core.status(now: Self.start) == "1 page, scanning, 0 alerts firing")
        // Each undeclared cookie is also missing Secure on https: four alerts.
        let round = core.finish(
            job, observation: try Self.visit(job, setting: ["_ga=1", "_fbp=2"], at: Self.start), at: Self.start
        ).round
        #expect(round?.events.count == 4)
        #expect(core.status(now: Self.start).hasSuffix(", 4 alerts firing"))
        #expect(core.status(now: Self.start).hasPrefix("1 page, next scan in "))
    }

    /// Bytes written to save the state over a first round of `pages` page variants, each visit a
    /// changed cookie list, saved after every visit as the daemon does.
    static func bytesSaved(pages: Int) throws -> Int {
        let configuration = try configuration(paths: (0..<pages).map { "/p\($0)" })
        var core = try DaemonCore(
            configuration: configuration, saved: nil, now: start, seed: 1, fingerprinter: fingerprinter)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-work-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = StateStore(stateDirectory: directory.path)
        _ = try store.load()
        _ = core.takeChanges()
        try store.snapshot(core.state)
        var now = start
        while true {
            let jobs = core.startDue(at: now)
            if jobs.isEmpty { break }
            for job in jobs {
                let observation = try visit(
                    job, setting: ["sessionid=\(job.id.hashValue); Path=/; Max-Age=600"], at: now)
                _ = core.finish(job, observation: observation, at: now)
                try store.save(core.takeChanges()) { core.state }
            }
            now = now.addingTimeInterval(1)
        }
        #expect(core.state.pages.count == pages)
        return store.bytesWritten
    }

    @Test("saving the state costs what changed: four times the pages write about four times the bytes")
    func stateCostIsLinear() throws {
        let small = try Self.bytesSaved(pages: 150)
        let large = try Self.bytesSaved(pages: 600)
        // Rewriting the whole state after each changed page would write about sixteen times as much.
        #expect(Double(large) / Double(small) < 5.5, "\(small) bytes for 150 pages, \(large) for 600")
        #expect(Double(large) / Double(small) > 3)
    }
}
