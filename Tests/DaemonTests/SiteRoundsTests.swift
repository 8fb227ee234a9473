import Audit
import Config
import Scanning
import Daemon
import Foundation
import Testing

/// Rounds audited as their visits arrive: the same findings as auditing the whole round at its end,
/// and the rules for a page visited twice in one round and for a reload.
@Suite("Site rounds, audited incrementally")
struct SiteRoundsTests {
    typealias Core = DaemonCoreTests
    static let now = DaemonCoreTests.start

    static func setup(_ paths: [String]) throws -> (audit: SiteAudit, jobs: [DaemonJob], rounds: SiteRounds) {
        let configuration = try Core.configuration(paths: paths)
        let site = try #require(configuration.sites.first)
        let audit = SiteAudit(configured: site)
        let jobs = try DaemonJob.jobs(configuration)
        return (audit, jobs, SiteRounds(expected: ["shop": jobs.map(\.page)]))
    }

    static func keys(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.kind) \($0.cookie ?? "-") \($0.pages.map(\.url))" }
    }

    @Test("a round's findings are the whole-round audit's, in whatever order its visits arrive")
    func sameAsWholeRound() throws {
        var (audit, jobs, rounds) = try Self.setup(["/", "/a", "/b", "/c"])
        let cookies = [["sessionid=1; Secure"], ["_ga=1"], ["_ga=2", "_fbp=3"], []]
        let observations = try zip(jobs, cookies).map { try Core.visit($0, setting: $1, at: Self.now) }
        let whole = audit.run(observations, now: Self.now)
        var completed: SiteRounds.Completed?
        for index in [2, 0, 3, 1] {
            #expect(completed == nil)
            completed = rounds.record(site: "shop", observation: observations[index], now: Self.now) { audit }
        }
        let result = try #require(completed).result
        #expect(Self.keys(result.findings) == Self.keys(whole.findings))
        #expect(result.cookies.map(\.name) == whole.cookies.map(\.name))
        // The next round begins with the audit given then: one finding per page.
        audit.findingsPerPage = 1
        for index in [2, 0, 3] {
            _ = rounds.record(site: "shop", observation: observations[index], now: Self.now) { audit }
        }
        let next = try #require(rounds.record(site: "shop", observation: observations[1], now: Self.now) { audit })
        #expect(!next.result.omitted.isEmpty)
    }

    @Test("a failed visit retried in the same round is replaced by its success; a page that counted stays counted")
    func visitedTwice() throws {
        let (audit, jobs, start) = try Self.setup(["/", "/a"])
        let failed = try Core.visit(jobs[0], setting: [], failed: true, at: Self.now)
        let retried = try Core.visit(jobs[0], setting: ["_ga=1"], at: Self.now)
        let other = try Core.visit(jobs[1], setting: [], at: Self.now)

        var rounds = start
        #expect(rounds.record(site: "shop", observation: failed, now: Self.now) { audit } == nil)
        #expect(rounds.record(site: "shop", observation: retried, now: Self.now) { audit } == nil)
        let recovered = try #require(rounds.record(site: "shop", observation: other, now: Self.now) { audit })
        #expect(recovered.failedPages.isEmpty)
        #expect(recovered.result.findings.contains { $0.cookie == "_ga" })
        #expect(!recovered.result.findings.contains { $0.kind == .scanError })

        rounds = start
        _ = rounds.record(site: "shop", observation: retried, now: Self.now) { audit }
        _ = rounds.record(site: "shop", observation: failed, now: Self.now) { audit }
        let kept = try #require(rounds.record(site: "shop", observation: other, now: Self.now) { audit })
        #expect(kept.failedPages.isEmpty && kept.result.findings.contains { $0.cookie == "_ga" })

        rounds = start
        _ = rounds.record(site: "shop", observation: failed, now: Self.now) { audit }
        let down = try #require(rounds.record(site: "shop", observation: other, now: Self.now) { audit })
        #expect(down.failedPages == [jobs[0].page])
        #expect(down.result.findings.contains { $0.kind == .scanError })
    }

    @Test("a reload keeps a round in progress, waiting for added pages too; removing a page it saw restarts it")
    func reload() throws {
        let (audit, jobs, start) = try Self.setup(["/", "/a", "/b"])
        let visits = try jobs.map { try Core.visit($0, setting: [], at: Self.now) }
        let pages = jobs.map(\.page)

        var rounds = SiteRounds(expected: ["shop": Array(pages.prefix(2))])
        _ = rounds.record(site: "shop", observation: visits[0], now: Self.now) { audit }
        rounds.replace(expected: ["shop": pages.reversed()])  // reordered, /b added
        #expect(rounds.record(site: "shop", observation: visits[1], now: Self.now) { audit } == nil)
        let kept = try #require(rounds.record(site: "shop", observation: visits[2], now: Self.now) { audit })
        #expect(kept.failedPages.isEmpty)

        rounds = start
        _ = rounds.record(site: "shop", observation: visits[0], now: Self.now) { audit }
        rounds.replace(expected: ["shop": Array(pages.dropFirst())])  // "/" removed: afresh
        #expect(rounds.record(site: "shop", observation: visits[1], now: Self.now) { audit } == nil)
        #expect(rounds.record(site: "shop", observation: visits[2], now: Self.now) { audit } != nil)
    }

    @Test("a page's second successful visit in a round is not counted: the round closes on the first")
    func countedOnce() throws {
        let (audit, jobs, start) = try Self.setup(["/", "/a"])
        var rounds = start
        _ = rounds.record(site: "shop", observation: try Core.visit(jobs[0], setting: [], at: Self.now), now: Self.now)
        {
            audit
        }
        _ = rounds.record(
            site: "shop", observation: try Core.visit(jobs[0], setting: ["_ga=1"], at: Self.now), now: Self.now
        ) { audit }
        let closed = try #require(
            rounds.record(site: "shop", observation: try Core.visit(jobs[1], setting: [], at: Self.now), now: Self.now)
            { audit })
        #expect(!closed.result.findings.contains { $0.cookie == "_ga" })
    }
}
