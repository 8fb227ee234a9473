@testable import Audit
import Charter
import CookieModel
import Foundation
import Knowledge
import Testing

/// The audit on synthetic observations: real cookie model, real charters, no network.
@Suite("Site audit")
struct SiteAuditTests {
    static let responseDate = Date(timeIntervalSince1970: 1_780_000_000)
    /// The scanner's clock runs behind the site's: lifetimes must come from the response's Date.
    static let scannerClock = responseDate.addingTimeInterval(-3 * 86_400)

    static let charter: Charter = {
        let json = """
            {"name": "Example", "cookies": [
              {"name": "sessionid", "category": "necessary", "duration": "2 weeks",
               "expect": {"secure": true, "httpOnly": true, "sameSite": "lax"}},
              {"name": "csrftoken", "category": "necessary", "duration": "Up to 12 months"},
              {"name": "prefs", "category": "preferences", "duration": "6 months", "domain": "www.example.com"},
              {"name": "_stats", "category": "statistics", "duration": "13 months"},
              {"name": "_pk_id*", "category": "statistics", "duration": "13 months", "consentExempt": true, "observable": "script"},
              {"name": "_ab*", "category": "statistics", "observable": "script"},
              {"name": "*_ab", "category": "marketing", "observable": "script"},
              {"name": "gone", "category": "necessary"}
            ]}
            """
        do { return try Charter(decoding: Array(json.utf8), file: "example.json") } catch { fatalError("\(error)") }
    }()

    func audit(_ policy: Policy = .standard) throws -> SiteAudit {
        SiteAudit(
            site: "example", charters: CharterSet([Self.charter]), policy: policy,
            pageURLs: [try CookieURL(parsing: "https://www.example.com/")])
    }

    /// One visit: each hop is (URL, status, Set-Cookie values), through a real jar.
    func visit(
        _ hops: [(String, Int, [String])], variant: String = "no-consent", consent: Bool = false,
        failure: ObservedFailure? = nil
    ) throws -> PageObservation {
        var jar = CookieJar()
        var observed: [ObservedHop] = []
        for (url, status, headers) in hops {
            let u = try CookieURL(parsing: url)
            observed.append(
                ObservedHop(
                    url: u, status: status, date: Self.responseDate,
                    outcomes: headers.map { jar.receive(setCookie: $0, from: u, at: Self.scannerClock) }))
        }
        return PageObservation(
            page: PageRef(url: hops.first?.0 ?? "https://www.example.com/", variant: variant),
            consentGiven: consent, hops: observed, failure: failure)
    }

    /// "kind cookie" of each finding, sorted; `declared-not-seen` only where a test asks for it.
    func kinds(_ result: AuditResult, unseen: Bool = false) -> [String] {
        result.findings.filter { unseen || $0.kind != .declaredNotSeen }.map {
            "\($0.kind.rawValue) \($0.cookie ?? "-")"
        }.sorted()
    }

    let good = [
        "sessionid=s3cr3t-token-value; Max-Age=1209600; Secure; HttpOnly; SameSite=Lax; Path=/",
        "csrftoken=tok; Max-Age=31449600; Secure; Path=/",
    ]

    @Test("after-login entries are expected and checked on signed-in variants, and left alone elsewhere")
    func afterLogin() throws {
        let json = """
            {"name": "Accounts", "cookies": [
              {"name": "account", "category": "necessary", "duration": "2 weeks", "observable": "after-login",
               "expect": {"httpOnly": true}},
              {"name": "csrftoken", "category": "necessary", "duration": "Up to 12 months"}
            ]}
            """
        let audit = SiteAudit(
            site: "example", charters: CharterSet([try Charter(decoding: Array(json.utf8), file: "accounts.json")]),
            policy: .standard, pageURLs: [try CookieURL(parsing: "https://www.example.com/")])
        let csrf = ("https://www.example.com/", 200, ["csrftoken=t; Max-Age=86400; Secure; Path=/"])
        func signedIn(_ hops: [(String, Int, [String])]) throws -> PageObservation {
            var observation = try visit(hops, variant: "signed-in")
            observation.signedIn = true
            for index in observation.hops.indices { observation.hops[index].afterLogin = true }
            return observation
        }
        // Anonymous variants only: nobody could have seen the session cookie.
        let anonymous = audit.run([try visit([csrf])], now: Self.scannerClock)
        #expect(kinds(anonymous, unseen: true) == [])
        // Signed in, and the session cookie never came: declared but not seen, saying after login.
        let missing = audit.run([try visit([csrf]), try signedIn([csrf])], now: Self.scannerClock)
        #expect(kinds(missing, unseen: true) == ["declared-not-seen account"])
        #expect(
            missing.findings.first?.message == "\"account\" is declared as set after login, but no scanned page set it")
        // Signed in with the session cookie: checked like any other; an undeclared one says "after login".
        let seen = audit.run(
            [
                try signedIn([
                    (
                        "https://www.example.com/login/", 302,
                        ["account=v; Max-Age=2592000; Secure; Path=/", "tracker=1; Max-Age=60; Secure; Path=/"]
                    )
                ])
            ], now: Self.scannerClock)
        #expect(
            kinds(seen, unseen: true) == [
                "attribute-mismatch account", "declared-not-seen csrftoken", "lifetime-exceeds-declared account",
                "undeclared tracker",
            ])
        let tracker = try #require(seen.findings.first { $0.kind == .undeclared })
        #expect(tracker.message == "\"tracker\" is stored after login but the charter does not declare it")
        #expect(tracker.evidence.first?.attributes["login"] == "after login")
    }

    @Test("an undeclared cookie's evidence says what the Open Cookie Database knows; a declared one's does not")
    func knownCookies() throws {
        var audit = try audit()
        audit.knowledge = .openCookieDatabase
        let result = audit.run(
            [
                try visit([
                    (
                        "https://www.example.com/", 200,
                        [
                            "_ga=GA1.1.1.1; Max-Age=63072000; Secure; Path=/", "mystery=1; Secure; Path=/",
                            "_stats=1; Max-Age=60; Secure; Path=/",
                        ]
                    )
                ])
            ], now: Self.scannerClock)
        func attributes(_ cookie: String) -> [String: String] {
            result.findings.first { $0.cookie == cookie && $0.kind != .declaredNotSeen }?.evidence.first?.attributes
                ?? [:]
        }
        #expect(attributes("_ga")["knownAs"] == "Google Analytics, statistics, usually 2 years")
        #expect(attributes("_ga")["knownSource"] == "Open Cookie Database 256c18e8-d881-11e9-8a34-2a2ae2dbcce4")
        #expect(attributes("mystery")["knownAs"] == "unknown: not in the Open Cookie Database")
        // `_stats` is declared by the charter: the charter speaks, the database is not asked.
        let stats = try #require(result.findings.first { $0.cookie == "_stats" && $0.kind == .setBeforeConsent })
        #expect(stats.evidence.first?.attributes["knownAs"] == nil && stats.evidence.first != nil)
    }

    @Test("cookies exactly as declared give no finding")
    func clean() throws {
        let result = try audit().run([visit([("https://www.example.com/", 200, good)])], now: Self.scannerClock)
        #expect(kinds(result) == [])
        #expect(result.cookies.map(\.name) == ["csrftoken", "sessionid"])
        #expect(result.cookies.allSatisfy { $0.findings.isEmpty && $0.category == .necessary })
    }

    @Test("a cookie's finding kinds are the union over its pages, whichever page added a kind")
    func cookieKindsAcrossPages() throws {
        let pages = [
            // As declared, then without Secure over https, then living too long, then as declared again.
            try visit([("https://www.example.com/a", 200, ["csrftoken=t; Max-Age=600; Secure; Path=/"])]),
            try visit([("https://www.example.com/b", 200, ["csrftoken=t; Max-Age=600; Path=/"])]),
            try visit([("https://www.example.com/c", 200, ["csrftoken=t; Max-Age=63072000; Secure; Path=/"])]),
            try visit([("https://www.example.com/d", 200, ["csrftoken=t; Max-Age=600; Secure; Path=/"])]),
        ]
        let result = try audit().run(pages, now: Self.scannerClock)
        let row = try #require(result.cookies.first { $0.name == "csrftoken" })
        #expect(
            row.findings == [.insecureAttributes, .lifetimeExceedsDeclared, .lifetimeExceedsLimit],
            "\(row.findings)")
        let alone = try audit().run([pages[0], pages[3]], now: Self.scannerClock)
        #expect(try #require(alone.cookies.first { $0.name == "csrftoken" }).findings.isEmpty)
        // Every kind is its own bit: no two kinds share one, none is left out.
        for kind in FindingKind.allCases {
            var one = FindingKinds()
            one.insert(kind)
            #expect(one.set == [kind])
        }
        var all = FindingKinds()
        for kind in FindingKind.allCases { all.insert(kind) }
        #expect(all.set == Set(FindingKind.allCases))
    }

    @Test("an undeclared cookie is a high finding; set by another site's host it is third-party instead")
    func undeclaredAndThirdParty() throws {
        let result = try audit().run(
            [
                visit([
                    ("https://www.example.com/", 302, ["ref=1; Secure"]),
                    ("https://ads.tracker.net/px", 200, ["uid=42; Secure"]),
                ])
            ], now: Self.scannerClock)
        #expect(kinds(result) == ["third-party uid", "undeclared ref"])
        #expect(result.findings.filter { $0.kind != .declaredNotSeen }.allSatisfy { $0.severity == .high })
        let uid = try #require(result.cookies.first { $0.name == "uid" })
        #expect(uid.setBy == "https://ads.tracker.net/px" && !uid.setOnRedirect)
        #expect(try #require(result.cookies.first { $0.name == "ref" }).setOnRedirect)
    }

    @Test(
        "a consent-requiring category stored on a no-consent variant is set-before-consent; not with consent, an exempt category or an exempt entry"
    )
    func consent() throws {
        let header = ["prefs=dark; Max-Age=3600; Secure"]
        let before = try audit().run([visit([("https://www.example.com/", 200, header)])], now: Self.scannerClock)
        #expect(kinds(before) == ["set-before-consent prefs"])
        #expect(before.findings.first?.severity == .critical)
        #expect(
            before.findings.first?.message
                == "\"prefs\" (preferences) is stored before consent, on variant \"no-consent\"")
        let after = try audit().run(
            [visit([("https://www.example.com/", 200, header)], variant: "accepted", consent: true)],
            now: Self.scannerClock)
        #expect(kinds(after) == [])
        var exempt = Policy.standard
        exempt.consentRequired = [.marketing, .preferences]
        let stats = try audit(exempt).run(
            [visit([("https://www.example.com/", 200, ["_stats=1; Max-Age=600; Secure"])])], now: Self.scannerClock)
        #expect(kinds(stats) == [])
        let exemptEntry = try audit().run(
            [visit([("https://www.example.com/", 200, ["_pk_id.1.ab=1; Max-Age=600; Secure"])])], now: Self.scannerClock
        )
        #expect(kinds(exemptEntry) == [])
    }

    @Test("lifetimes are measured from the response's Date, against the declared duration plus tolerance and the limit")
    func lifetimes() throws {
        let result = try audit().run(
            [
                visit([
                    (
                        "https://www.example.com/", 200,
                        [
                            // Declared 2 weeks (+1 day tolerance): 16 days exceeds it; the Expires is 14 days after the response's Date (fine
                            // from the response, 11 days from the scanner's clock).
                            "sessionid=x; Max-Age=1382400; Secure; HttpOnly; SameSite=Lax",
                            "csrftoken=y; Expires=\(CivilTime.imfFixdate(Int64(Self.responseDate.timeIntervalSince1970) + 14 * 86_400)); Secure",
                            "_stats=z; Max-Age=63072000; Secure",
                        ]
                    )
                ])
            ], now: Self.scannerClock)
        #expect(
            kinds(result) == [
                "lifetime-exceeds-declared _stats", "lifetime-exceeds-declared sessionid",
                "lifetime-exceeds-limit _stats",
                "set-before-consent _stats",
            ])
        let limit = try #require(result.findings.first { $0.kind == .lifetimeExceedsLimit })
        #expect(limit.message == "\"_stats\" lives 730 days, beyond the policy limit of 395 days")
        let declared = try #require(
            result.findings.first { $0.kind == .lifetimeExceedsDeclared && $0.cookie == "sessionid" })
        #expect(declared.message == "\"sessionid\" lives 16 days; the charter declares \"2 weeks\"")
    }

    @Test("an Expires is read against the response's Date, not the scanner's clock")
    func expiresFromResponseDate() throws {
        let expires = CivilTime.imfFixdate(Int64(Self.responseDate.timeIntervalSince1970) + 14 * 86_400)
        let result = try audit().run(
            [
                visit([
                    (
                        "https://www.example.com/", 200,
                        [
                            "sessionid=x; Expires=\(expires); Secure; HttpOnly; SameSite=Lax"
                        ]
                    )
                ])
            ], now: Self.scannerClock)
        // From the scanner's clock it would be 17 days, beyond "2 weeks" and its one-day tolerance.
        #expect(kinds(result) == [])
        #expect(result.cookies.first?.lifetime == Int64(14 * 86_400))
    }

    @Test("expected attributes and domain are checked, and https without Secure is insecure")
    func attributes() throws {
        let result = try audit().run(
            [
                visit(
                    [
                        (
                            "https://www.example.com/", 200,
                            [
                                "sessionid=x; Max-Age=60; SameSite=Strict",
                                "prefs=1; Domain=example.com; Secure",
                            ]
                        )
                    ], consent: true)
            ], now: Self.scannerClock)
        #expect(
            kinds(result) == [
                "attribute-mismatch prefs", "attribute-mismatch sessionid", "insecure-attributes sessionid",
            ])
        let mismatch = try #require(result.findings.first { $0.kind == .attributeMismatch && $0.cookie == "sessionid" })
        #expect(
            mismatch.message
                == "\"sessionid\" does not have the declared attributes: Secure missing, HttpOnly missing, SameSite=strict, expected lax"
        )
    }

    @Test("two charter files declaring one cookie: ambiguous, naming both files, and the cookie counts as seen")
    func ambiguousAcrossFiles() throws {
        let text = """
            {"name": "Site", "cookies": [{"name": "csrftoken", "category": "necessary", "duration": "1 year"}]}
            """
        let first = try Charter(decoding: Array(text.utf8), file: "charters/a.json")
        let second = try Charter(decoding: Array(text.utf8), file: "charters/b.json")
        let audit = SiteAudit(
            site: "example", charters: CharterSet([first, second]), policy: .standard,
            pageURLs: [try CookieURL(parsing: "https://www.example.com/")])
        let page = try visit([("https://www.example.com/", 200, ["csrftoken=t; Max-Age=600; Secure; Path=/"])])
        let result = audit.run([page], now: Self.scannerClock)
        #expect(kinds(result, unseen: true) == ["ambiguous-declaration csrftoken"])
        let message = try #require(result.findings.first?.message)
        #expect(message.contains("\"csrftoken\" in Site (charters/a.json)"), "\(message)")
        #expect(message.contains("\"csrftoken\" in Site (charters/b.json)"), "\(message)")
    }

    @Test("a page's findings stop at the cap; the rest are counted with their highest severity")
    func findingsCap() throws {
        var audit = try audit()
        audit.findingsPerPage = 3
        let names = (0..<7).map { "u\($0)=1; Path=/; Secure" }
        let flooded = try visit([("https://www.example.com/", 200, names)])
        let other = try visit([("https://www.example.com/b", 200, ["u0=1; Path=/; Secure", "u9=1; Path=/; Secure"])])
        let result = audit.run([flooded, other], now: Self.scannerClock)
        let undeclared = result.findings.filter { $0.kind == .undeclared }
        // The flooded page opens three; the other page joins u0 and opens u9 within its own cap.
        #expect(undeclared.map { $0.cookie ?? "" }.sorted() == ["u0", "u1", "u2", "u9"])
        #expect(result.omitted == [OmittedFindings(page: flooded.page, count: 4, highestSeverity: .high)])
        #expect(undeclared.first { $0.cookie == "u0" }?.pages == [flooded.page, other.page])
    }

    @Test("cookies the store evicts within the visit are not audited; the 180 it keeps are")
    func evictedInVisit() throws {
        var audit = try audit()
        audit.findingsPerPage = 10_000
        var jar = CookieJar()
        let url = try CookieURL(parsing: "https://www.example.com/")
        let outcomes = (0..<500).map {
            jar.receive(setCookie: "c\($0)=v; Path=/; Secure", from: url, at: Self.scannerClock)
        }
        let hops = [ObservedHop(url: url, status: 200, date: Self.responseDate, outcomes: outcomes)]
        let evicted = PageObservation.evicted(from: hops, finalStore: jar.holds)
        #expect(evicted.count == 320)
        #expect(jar.evictions == 320)
        #expect(PageObservation.evicted(from: hops, jar: jar) == evicted, "the jar's count lets the look happen")
        #expect(!evicted.contains { $0.name == "c499" } && evicted.contains { $0.name == "c0" })
        let page = PageObservation(
            page: PageRef(url: url.description, variant: "v"), consentGiven: false, hops: hops, evicted: evicted)
        let result = audit.run([page], now: Self.scannerClock)
        #expect(result.cookies.count == CookieJar.maxCookiesPerDomain)
        #expect(result.findings.filter { $0.kind == .undeclared }.count == 180)
        // A cookie the site deletes on a later hop was stored and sent meanwhile: not evicted, audited.
        var second = CookieJar()
        let deleting = [
            ObservedHop(
                url: url, status: 302, date: Self.responseDate,
                outcomes: [second.receive(setCookie: "t=1; Path=/; Secure", from: url, at: Self.scannerClock)]),
            ObservedHop(
                url: url, status: 200, date: Self.responseDate,
                outcomes: [second.receive(setCookie: "t=; Max-Age=0; Path=/; Secure", from: url, at: Self.scannerClock)]
            ),
        ]
        #expect(PageObservation.evicted(from: deleting, finalStore: second.holds).isEmpty)
        #expect(second.evictions == 0 && PageObservation.evicted(from: deleting, jar: second).isEmpty)
    }

    @Test("fed as visits complete, in any order, the audit gives the result of configuration order")
    func orderIndependent() throws {
        let pages = [
            try visit([
                ("https://www.example.com/", 302, ["csrftoken=a; Max-Age=40000000; Secure; Path=/"]),
                ("https://www.example.com/home", 200, ["_stats=1; Max-Age=600; Secure"]),
            ]),
            try visit([("https://www.example.com/b", 200, ["csrftoken=b; Max-Age=50000000; Secure; Path=/", "x=1"])]),
            try visit(
                [("https://www.example.com/c", 200, ["csrftoken=c; Max-Age=45000000; Path=/; SameSite=None"])],
                variant: "accepted", consent: true),
            try visit([("https://www.example.com/d", 200, [])], failure: nil),
        ]
        let inOrder = try audit().run(pages, now: Self.scannerClock)
        for arrival in [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]] {
            var incremental = SiteAudit.Incremental(try audit(), now: Self.scannerClock)
            for index in arrival { incremental.record(pages[index], order: index, now: Self.scannerClock) }
            let result = incremental.result()
            #expect(result.findings == inOrder.findings, "arrival \(arrival)")
            #expect(result.cookies == inOrder.cookies, "arrival \(arrival)")
            #expect(incremental.recorded == 4 && incremental.failed == 0)
        }
        // The first page in configuration order speaks for the lifetime finding.
        let lifetime = try #require(inOrder.findings.first { $0.kind == .lifetimeExceedsDeclared })
        #expect(lifetime.message.contains("463 days"), "\(lifetime.message)")
        #expect(inOrder.cookies.first { $0.name == "csrftoken" }?.setBy == "https://www.example.com/")
    }

    @Test("a finding lists every page but keeps the evidence of its first five, whatever the arrival order")
    func evidenceCap() throws {
        let pages = try (0..<8).map { n in
            try visit([("https://www.example.com/p\(n)", 200, ["u=1; Path=/; Secure"])])
        }
        var incremental = SiteAudit.Incremental(try audit(), now: Self.scannerClock)
        for index in [7, 5, 3, 1, 0, 2, 4, 6] { incremental.record(pages[index], order: index, now: Self.scannerClock) }
        let undeclared = try #require(incremental.result().findings.first { $0.kind == .undeclared })
        #expect(undeclared.pages.count == 8)
        #expect(undeclared.evidence.map(\.page) == pages[0..<SiteAudit.evidencePerFinding].map(\.page))
    }

    @Test("two patterns claiming one cookie are reported as ambiguous")
    func ambiguous() throws {
        let result = try audit().run(
            [visit([("https://www.example.com/", 200, ["_ab_ab=1; Secure"])], consent: true)], now: Self.scannerClock)
        #expect(kinds(result) == ["ambiguous-declaration _ab_ab"])
    }

    @Test(
        "headers browsers reject are findings with the reason; a failed page is a scan-error and suppresses declared-not-seen"
    )
    func rejectedAndFailures() throws {
        let ok = try visit([("https://www.example.com/", 200, good + ["bad=1; Domain=com"])])
        let result = try audit().run([ok], now: Self.scannerClock)
        #expect(
            kinds(result, unseen: true) == [
                "declared-not-seen _stats", "declared-not-seen gone", "declared-not-seen prefs",
                "rejected-by-browser bad",
            ])
        let failed = try visit(
            [], variant: "no-consent",
            failure: ObservedFailure(code: "timeout", message: "no answer in 3 s", url: "https://www.example.com/slow"))
        let withFailure = try audit().run([ok, failed], now: Self.scannerClock)
        #expect(kinds(withFailure, unseen: true) == ["rejected-by-browser bad", "scan-error -"])
    }

    @Test("findings group pages, keep stable ids, sort by severity, and carry shapes, never values")
    func grouping() throws {
        let a = try visit([("https://www.example.com/a", 200, ["tracker=SECRETVALUE1234; Secure"])])
        let b = try visit([("https://www.example.com/b", 200, ["tracker=SECRETVALUE5678; Secure", "prefs=1; Secure"])])
        let result = try audit().run([b, a], now: Self.scannerClock)
        let undeclared = try #require(result.findings.first { $0.kind == .undeclared })
        #expect(undeclared.pages.map(\.url) == ["https://www.example.com/a", "https://www.example.com/b"])
        #expect(undeclared.id == Finding.id(site: "example", kind: .undeclared, subject: "tracker"))
        #expect(undeclared.evidence.first?.valueShape == "base64url" && undeclared.evidence.first?.valueLength == 15)
        #expect(result.findings.map(\.severity) == result.findings.map(\.severity).sorted(by: >))
        let dump = "\(result)"
        #expect(!dump.contains("SECRETVALUE"))
    }

    @Test("severity overrides from the policy replace the defaults")
    func overrides() throws {
        var policy = Policy.standard
        policy.severityOverrides = [.undeclared: .low]
        let result = try audit(policy).run(
            [visit([("https://www.example.com/", 200, ["x=1; Secure"])])], now: Self.scannerClock)
        #expect(result.findings.first?.severity == .low)
    }

    @Test("page lists come sorted by page, each page once, in whatever order visits were recorded: long and short")
    func pageListsSortedOnce() throws {
        // 3,000 visits of 2,500 URLs (500 visited twice), recorded shuffled: every page sets `all`
        // (a list longer than an eighth of the pages), every 97th URL `few`.
        let urls = (0..<3_000).map { "https://www.example.com/p/\($0 % 2_500)" }
        var incremental = SiteAudit.Incremental(try audit(), now: Self.scannerClock)
        for index in urls.indices.shuffled() {
            let few = index % 2_500 % 97 == 0
            let observation = try visit([
                (urls[index], 200, ["all=1; Path=/; Secure"] + (few ? ["few=1; Path=/; Secure"] : []))
            ])
            incremental.record(observation, order: index, now: Self.scannerClock)
        }
        let result = incremental.result()
        let every = Set(urls).map { PageRef(url: $0, variant: "no-consent") }.sorted()
        let some = every.filter { Int($0.url.split(separator: "/").last ?? "")! % 97 == 0 }
        #expect(some.count == 26 && every.count == 2_500)
        for (cookie, expected) in [("all", every), ("few", some)] {
            #expect(result.cookies.first { $0.name == cookie }.map { Array($0.pages) } == expected)
            let finding = result.findings.first { $0.kind == .undeclared && $0.cookie == cookie }
            #expect(finding.map { Array($0.pages) } == expected)
        }
    }
}
