import Audit
import Charter
import Foundation
import Knowledge
import Report
import StrictJSON
import Testing
import Watch

@Suite("the report's streaming model")
struct ReportBuilderTests {
    @Test("per site: page variants, scans and failed scans in the window, and the cookies stored now")
    func siteCounts() throws {
        let site = try #require(try Samples.report().sites.first)
        #expect(site.name == "example")
        #expect(site.pages == [Samples.home, Samples.data])
        #expect(site.scans == 6)
        #expect(site.failedScans == 1)
        #expect(site.cookiesNow.map(\.name) == ["csrftoken", "sessionid"])
    }

    @Test("an unchanged line is credited with the cookie list written before the window")
    func primingBeforeWindow() throws {
        let report = try Samples.report()
        let session = try #require(report.sites.first?.cookies.first { $0.identity.name == "sessionid" })
        #expect(session.firstSeen == Samples.day + 86_400 + 10 * Samples.hour)
        #expect(session.seenScans == 3)
        #expect(report.warnings.isEmpty)
    }

    @Test("per cookie: first and last seen, pages, the hop that sets it, lifetimes and share of scans")
    func cookieTallies() throws {
        let cookies = try #require(try Samples.report().sites.first?.cookies)
        let ga = try #require(cookies.first { $0.identity.name == "_ga" })
        #expect(ga.firstSeen == Samples.day + 2 * 86_400 + 10 * Samples.hour)
        #expect(ga.lastSeen == ga.firstSeen)
        #expect(ga.setBy == ["https://example.org/redirect"])
        #expect(ga.pages == [Samples.home])
        #expect(ga.seenScans == 1 && ga.possibleScans == 3)
        #expect(!ga.isCurrent)
        let csrf = try #require(cookies.first { $0.identity.name == "csrftoken" })
        #expect(csrf.pages == [Samples.home, Samples.data])
        #expect(csrf.share == 1)
        let session = try #require(cookies.first { $0.identity.name == "sessionid" })
        #expect(session.lifetimes == 1_209_600...2_592_000)
    }

    @Test("the drift timeline keeps appeared, disappeared and changed with before and after")
    func timeline() throws {
        let timeline = try #require(try Samples.report().sites.first?.timeline)
        #expect(
            timeline.map { "\($0.event.change.rawValue) \($0.event.cookie.name)" } == [
                "appeared _ga", "disappeared _ga", "changed sessionid",
            ])
        #expect(timeline[2].event.before?.lifetime == 1_209_600)
        #expect(timeline[2].event.after?.lifetime == 2_592_000)
        #expect(timeline[0].page == Samples.home)
    }

    @Test("the chart series has one closing count per day with scans")
    func series() throws {
        let series = try #require(try Samples.report().sites.first?.series)
        #expect(series.map(\.cookies) == [2, 3, 2])
        #expect(series.map(\.day) == [1, 2, 3].map { Samples.day + $0 * 86_400 })
    }

    @Test("charter coverage: declared and seen, not seen by observable, undeclared, lifetime beyond declared")
    func coverage() throws {
        let site = try #require(try Samples.report().sites.first)
        let coverage = try #require(site.coverage)
        #expect(coverage.declaredSeen == ["sessionid", "csrftoken"])
        #expect(coverage.declaredNotSeen.map(\.observable) == ["header", "script"])
        #expect(coverage.declaredNotSeen.map(\.entries) == [["cookies_preferences"], ["_BEAMER*"]])
        #expect(coverage.undeclared == ["_ga"])
        let session = try #require(site.cookies.first { $0.identity.name == "sessionid" })
        guard case .declared(let declared) = session.charter else {
            Issue.record("sessionid should be declared")
            return
        }
        #expect(declared.lifetimeExceeds)
        #expect(declared.duration == "2 weeks")
    }

    @Test("an undeclared cookie the database knows becomes a suggested entry: platform, category, upstream id")
    func proposedEntry() throws {
        let proposal = try #require(try Samples.report().sites.first?.coverage?.proposedEntries.first)
        #expect(proposal.name == "_ga")
        #expect(proposal.json.contains(#""provider": "Google Analytics""#))
        #expect(proposal.json.contains(#""category": "statistics""#))
        #expect(
            proposal.json.contains(
                "SUGGESTED, review before publishing: Google Analytics, statistics, usually 2 years, per the Open Cookie Database 256c18e8-d881-11e9-8a34-2a2ae2dbcce4"
            ))
        // The duration is what the site asked for, in words the charter reads.
        #expect(proposal.json.contains(#""duration": "730 days""#))
        #expect(DeclaredDuration(parsing: "730 days")?.seconds == 63_072_000)
        #expect(!proposal.json.contains("0123456789abcdef"))
    }

    @Test("a cookie the database does not know stays unknown in its proposed entry, and says so")
    func unknownProposal() throws {
        var builder = ReportBuilder(window: Samples.window)
        Samples.history().feed(into: &builder)
        let empty = try CookieKnowledge(csv: "id,platform,category,name,domain,retention,controller,wildcard\n")
        let report = builder.report(
            charters: ["example": try Samples.charters()], generated: Samples.day + 5 * 86_400, knowledge: empty)
        let proposal = try #require(report.sites.first?.coverage?.proposedEntries.first)
        #expect(proposal.json.contains(#""provider": "unknown""#) && proposal.json.contains(#""category": "unknown""#))
        #expect(proposal.json.contains("unknown (not in the Open Cookie Database): set by "))
    }

    @Test("alerts opened and resolved in the window, and those still open at its end")
    func alerts() throws {
        let report = try Samples.report(alerts: [
            Samples.alert("firing", id: "a1", at: "2026-11-20T10:00:00Z"),
            Samples.alert("firing", id: "a2", at: "2026-11-28T10:00:00Z"),
            Samples.alert("repeat", id: "a2", at: "2026-11-28T16:00:00Z"),
            Samples.alert("resolved", id: "a1", at: "2026-11-29T10:00:00Z"),
        ])
        let site = try #require(report.sites.first)
        #expect(site.alertsOpened.map(\.id) == ["a2"])
        #expect(site.alertsResolved.map(\.id) == ["a1"])
        #expect(site.alertsOpen.map(\.id) == ["a2"])
    }

    @Test("verdicts: the findings still firing at the end, highest severity first, with their cookie's evidence")
    func verdicts() throws {
        let report = try Samples.report(alerts: [
            Samples.alert("firing", id: "a1", at: "2026-11-27T10:00:00Z", severity: "medium"),
            Samples.alert("firing", id: "a2", at: "2026-11-28T10:00:00Z", severity: "critical"),
            Samples.alert("firing", id: "a3", at: "2026-11-28T11:00:00Z", severity: "low"),
            Samples.alert("resolved", id: "a3", at: "2026-11-29T10:00:00Z", severity: "low"),
        ])
        let site = try #require(report.sites.first)
        #expect(site.verdicts.map(\.note.id) == ["a2", "a1"])
        #expect(site.verdicts.first?.note.pages.map(\.variant) == ["no-consent"])
        let evidence = try #require(site.verdicts.first?.evidence)
        #expect(
            evidence.hasPrefix("set by https://") && evidence.contains("SameSite=") && evidence.contains("lifetime "))
        #expect(
            report.verdictCounts.map { "\($0.severity.rawValue) \($0.count)" } == [
                "critical 1", "high 0", "medium 1", "low 0", "info 0",
            ])
        // Per day: a1 from the 27th, a2 from the 28th, a3 only the 28th (resolved on the 29th).
        let byDay = Dictionary(
            site.findingSeries.map { (ReportWindow.day(of: $0.day), $0.counts.values.reduce(0, +)) },
            uniquingKeysWith: { a, _ in a })
        #expect(byDay["2026-11-27"] == 1 && byDay["2026-11-28"] == 3 && byDay["2026-11-29"] == 2)
    }

    @Test("an alert fired twice without a resolution is one span: it stops counting once resolved")
    func firedTwice() throws {
        let report = try Samples.report(alerts: [
            Samples.alert("firing", id: "a1", at: "2026-11-27T10:00:00Z"),
            Samples.alert("firing", id: "a1", at: "2026-11-28T10:00:00Z"),
            Samples.alert("resolved", id: "a1", at: "2026-11-28T12:00:00Z"),
        ])
        let site = try #require(report.sites.first)
        let byDay = Dictionary(
            site.findingSeries.map { (ReportWindow.day(of: $0.day), $0.counts.values.reduce(0, +)) },
            uniquingKeysWith: { a, _ in a })
        #expect(byDay["2026-11-27"] == 1 && byDay["2026-11-28"] == 0 && byDay["2026-11-29"] == 0, "\(byDay)")
        #expect(site.verdicts.isEmpty)
    }

    @Test("charter propose from the report: drifted durations updated, gone cookies not added, output loads")
    func proposal() throws {
        let report = try Samples.report()
        let site = try #require(report.sites.first)
        let proposed = CharterProposal.propose(site, charters: try Samples.charters())
        let charter = try #require(proposed.first?.charter)
        let changes = proposed.first?.changes ?? []
        // `sessionid` now asks for more than its declared 2 weeks; `_ga` is gone by the window's end.
        #expect(changes.contains { $0.hasPrefix("sessionid: duration \"2 weeks\" → ") }, "\(changes)")
        #expect(charter.entries.first { $0.name.text == "sessionid" }?.duration?.text != "2 weeks")
        #expect(!charter.entries.contains { $0.name.text == "_ga" })
        let json = JSONWriter.pretty(charter.jsonValue)
        #expect(throws: Never.self) { try Charter(decoding: Array(json.utf8), file: "proposed.json") }
    }

    @Test("a torn last line is skipped with a warning naming the file and line")
    func tornLine() throws {
        var history = Samples.history()
        history.files["2026-11-29.jsonl", default: []] += Array(#"{"formatVersion":1,"prev":"#.utf8)
        let report = try Samples.report(history)
        #expect(
            report.warnings.map(\.description) == [
                "history/2026-11-29.jsonl:3: unterminated last line of 26 bytes (a torn write), skipped"
            ])
        #expect(report.sites.first?.scans == 6)
    }

    @Test("a line of a newer formatVersion is skipped with a warning, and the lines after it still count")
    func newerFormat() throws {
        var history = Samples.history()
        var record = HistoryRecord.failure(
            site: "example", page: Samples.home,
            time: Date(timeIntervalSince1970: TimeInterval(Samples.day + 86_400 + 12 * 3_600)),
            failure: HistoryFailure(code: "dns", message: "no such host", url: "https://example.org/"))
        record.formatVersion = 2
        history.append(record)
        history.scan(
            Samples.data, at: Samples.day + 3 * 86_400 + 20 * Samples.hour,
            [Samples.cookie("csrftoken", lifetime: 31_449_600)])
        let report = try Samples.report(history)
        #expect(report.warnings.count == 1)
        #expect(
            report.warnings.first?.description.hasPrefix("history/2026-11-29.jsonl:3: line skipped: formatVersion 2")
                == true)
        #expect(report.sites.first?.scans == 7)
    }

    @Test("a broken prev chain is a warning on the line whose link breaks")
    func brokenChain() throws {
        var history = Samples.history()
        let name = "2026-11-28.jsonl"
        var lines = (history.files[name] ?? []).split(separator: 0x0A, omittingEmptySubsequences: false)
        lines.remove(at: 0)
        history.files[name] = Array(lines.joined(separator: [0x0A]))
        let report = try Samples.report(history)
        #expect(
            report.warnings.map(\.description) == [
                "history/2026-11-28.jsonl:1: hash chain broken: prev does not match the line before "
                    + "(a line was removed, edited or inserted)"
            ])
        #expect(report.sites.first?.scans == 5)
    }

    @Test("unchanged lines with no cookie list before them are one warning per page variant, counting the rest")
    func missingListOnce() throws {
        var history = HistoryFixture()
        for hour in 0..<5 {
            history.append(
                HistoryRecord(
                    time: Date(timeIntervalSince1970: TimeInterval(Samples.day + 86_400 + Int64(hour) * Samples.hour)),
                    site: "example", page: Samples.home, outcome: .unchanged(digest: String(repeating: "ab", count: 32))
                ))
        }
        let report = try Samples.report(history)
        #expect(
            report.warnings.map(\.description) == [
                "history/2026-11-27.jsonl:1: unchanged line, but no cookie list for https://example.org/ [no-consent] "
                    + "was found before it (nor for its 4 later unchanged lines, the last at history/2026-11-27.jsonl:5)"
            ])
        #expect(report.sites.first?.scans == 5)
    }

    @Test("lines the decoder reads (spaces after commas) give the same sites as lines read in place")
    func fastAndDecoderPathsAgree() throws {
        var spaced = Samples.history()
        for name in spaced.files.keys {
            let text = String(decoding: spaced.files[name] ?? [], as: UTF8.self)
            spaced.files[name] = Array(text.replacingOccurrences(of: #"","#, with: #"", "#).utf8)
        }
        let fast = JSONReportRenderer.value(try Samples.report())
        let decoded = JSONReportRenderer.value(try Samples.report(spaced))
        func sites(_ value: JSONValue) -> JSONValue? {
            guard case .object(let members) = value.kind else { return nil }
            return members.first { $0.key == "sites" }?.value
        }
        #expect(sites(fast) != nil)
        #expect(sites(fast) == sites(decoded))
    }

    @Test("against a pinned baseline: changes to each page's latest list, pinned pages not seen, pages not pinned")
    func baseline() throws {
        let gone = PageRef(url: "https://example.org/old/", variant: "no-consent")
        var pin = Baseline(pinnedAt: Date(timeIntervalSince1970: 0), pinnedBy: "alice", sites: [:])
        pin.pin(
            site: "example",
            pages: [
                PinnedPage(page: Samples.home, cookies: [Samples.cookie("sessionid"), Samples.cookie("csrftoken")]),
                PinnedPage(page: gone, cookies: []),
            ], at: Date(timeIntervalSince1970: TimeInterval(Samples.day)), by: "alice")
        var builder = ReportBuilder(window: Samples.window)
        Samples.history().feed(into: &builder)
        let report = builder.report(charters: [:], generated: Samples.day + 5 * 86_400, baseline: pin)
        let comparison = try #require(report.sites.first?.baseline)
        #expect(comparison.pinnedBy == "alice" && comparison.pinnedAt == Samples.day)
        // The home page's latest list: sessionid at 30 days (pinned at 14), csrftoken at 364 days (pinned at 14).
        #expect(
            comparison.changes.map { "\($0.page.url) \($0.event.change.rawValue) \($0.event.cookie.name)" } == [
                "https://example.org/ changed csrftoken", "https://example.org/ changed sessionid",
            ])
        #expect(comparison.missingPages == [gone])
        #expect(comparison.unpinnedPages == [Samples.data])
        #expect(builder.report(charters: [:], generated: 0).sites.first?.baseline == nil)
    }

    @Test("a missing day between day files is a warning naming the file after the gap")
    func missingDay() throws {
        var history = Samples.history()
        history.files["2026-11-28.jsonl"] = nil
        let report = try Samples.report(history)
        #expect(
            report.warnings.contains {
                $0.description == "history/2026-11-29.jsonl: no history for 2026-11-28 (1 missing day before this file)"
            })
    }

    @Test("--site keeps one site's lines")
    func siteFilter() throws {
        var history = Samples.history()
        history.scan(Samples.home, at: Samples.day + 2 * 86_400, [], site: "other")
        var builder = ReportBuilder(window: Samples.window, site: "other")
        history.feed(into: &builder)
        let report = builder.report(charters: ["example": try Samples.charters()], generated: 0)
        #expect(report.sites.map(\.name) == ["other"])
        #expect(report.sites.first?.scans == 1)
    }

    @Test("an empty history is an empty report, not an error")
    func empty() throws {
        let report = try Samples.report(HistoryFixture())
        #expect(report.isEmpty)
        #expect(report.warnings.isEmpty)
    }
}
