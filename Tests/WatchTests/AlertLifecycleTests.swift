import Audit
import Charter
import Foundation
import Testing
import Watch

@Suite("Alert lifecycle")
struct AlertLifecycleTests {
    static let start = Date(timeIntervalSince1970: 1_795_824_000)
    static let page = PageKey(url: "https://example.org/", variant: "no-consent")

    static func finding(_ kind: String, site: String = "example") -> AlertFinding {
        AlertFinding(
            id: "id-\(kind)", kind: kind, severity: "high", site: site, cookie: kind == "scan-error" ? nil : "_ga",
            message: "a message", pages: [page])
    }

    /// One pass: hours after the start, whether the finding was seen, whether its page failed to load.
    struct Step: Sendable {
        var hours: Double
        var seen: Bool
        var failed = false
        var expect: [AlertEvent.Transition] = []
    }

    struct Scenario: Sendable, CustomStringConvertible {
        var description: String
        var kind = "undeclared"
        var policy = AlertPolicy()
        var steps: [Step]
    }

    static let scenarios: [Scenario] = [
        Scenario(
            description: "a compliance finding fires on its first pass and resolves when absent once",
            steps: [
                Step(hours: 0, seen: true, expect: [.firing]), Step(hours: 1, seen: true),
                Step(hours: 2, seen: false, expect: [.resolved]), Step(hours: 3, seen: false),
            ]),
        Scenario(
            description: "a scan error fires only on its third consecutive pass",
            kind: "scan-error",
            steps: [
                Step(hours: 0, seen: true), Step(hours: 1, seen: true), Step(hours: 2, seen: true, expect: [.firing]),
            ]),
        Scenario(
            description: "a pending finding that goes away starts counting again",
            kind: "scan-error",
            steps: [
                Step(hours: 0, seen: true), Step(hours: 1, seen: true), Step(hours: 2, seen: false),
                Step(hours: 3, seen: true), Step(hours: 4, seen: true), Step(hours: 5, seen: true, expect: [.firing]),
            ]),
        Scenario(
            description: "a firing alert repeats every 24 hours, not more often",
            steps: [
                Step(hours: 0, seen: true, expect: [.firing]), Step(hours: 23, seen: true),
                Step(hours: 24, seen: true, expect: [.repeat]), Step(hours: 47, seen: true),
                Step(hours: 48, seen: true, expect: [.repeat]),
            ]),
        Scenario(
            description: "a page that cannot be fetched neither resolves nor re-fires its alerts, and still repeats",
            steps: [
                Step(hours: 0, seen: true, expect: [.firing]), Step(hours: 1, seen: false, failed: true),
                Step(hours: 25, seen: false, failed: true, expect: [.repeat]), Step(hours: 26, seen: true),
                Step(hours: 27, seen: false, expect: [.resolved]),
            ]),
        Scenario(
            description: "with resolve-after 2, one absent pass between sightings does not resolve",
            policy: AlertPolicy(resolvedAfter: 2),
            steps: [
                Step(hours: 0, seen: true, expect: [.firing]), Step(hours: 1, seen: false), Step(hours: 2, seen: true),
                Step(hours: 3, seen: false), Step(hours: 4, seen: false, expect: [.resolved]),
            ]),
        Scenario(
            description: "a pending finding on a failed page keeps its count",
            kind: "scan-error",
            steps: [
                Step(hours: 0, seen: true), Step(hours: 1, seen: false, failed: true), Step(hours: 2, seen: true),
                Step(hours: 3, seen: true, expect: [.firing]),
            ]),
    ]

    @Test("alerts move through pending, firing, repeat and resolved", arguments: scenarios)
    func lifecycle(scenario: Scenario) {
        var lifecycle = AlertLifecycle()
        let finding = Self.finding(scenario.kind)
        for (index, step) in scenario.steps.enumerated() {
            let time = Self.start.addingTimeInterval(step.hours * 3_600)
            let events = lifecycle.observe(
                AlertLifecycle.SitePass(
                    site: "example", time: time, findings: step.seen ? [finding] : [],
                    failedPages: step.failed ? [Self.page] : []),
                policy: scenario.policy)
            #expect(events.map(\.event) == step.expect, "step \(index) at \(step.hours)h")
            #expect(events.allSatisfy { $0.alert == finding.id && $0.time == time && $0.finding == finding })
        }
    }

    @Test("events carry when the alert started firing; other sites' passes leave it alone")
    func since() {
        var lifecycle = AlertLifecycle()
        let finding = Self.finding("undeclared")
        let policy = AlertPolicy()
        _ = lifecycle.observe(
            .init(site: "example", time: Self.start, findings: [finding], failedPages: []), policy: policy)
        let other = lifecycle.observe(
            .init(site: "other", time: Self.start.addingTimeInterval(3_600), findings: [], failedPages: []),
            policy: policy)
        #expect(other.isEmpty)
        let later = Self.start.addingTimeInterval(86_400)
        let events = lifecycle.observe(
            .init(site: "example", time: later, findings: [], failedPages: []), policy: policy)
        #expect(
            events == [
                AlertEvent(event: .resolved, alert: finding.id, time: later, since: Self.start, finding: finding)
            ])
        #expect(lifecycle.alerts.isEmpty)
    }

    @Test(
        "an alert carries its finding's first 100 pages and the count; when cut, a failed page that stored its cookie holds it"
    )
    func pageLimit() {
        let pages = (0..<250).map { PageKey(url: "https://example.org/\(1_000 + $0)", variant: "v") }
        let finding = Finding(
            kind: .undeclared, severity: .high, site: "example", cookie: "_ga", subject: "_ga", message: "m",
            pages: PageList(pages))
        let cut = AlertFinding(finding)
        #expect(cut.pages == Array(pages.prefix(AlertFinding.pageLimit)) && cut.pageCount == 250)
        let whole = AlertFinding(
            Finding(
                kind: .undeclared, severity: .high, site: "example", cookie: "_ga", subject: "_ga", message: "m",
                pages: PageList(Array(pages.prefix(3)))))
        #expect(whole.pages.count == 3 && whole.pageCount == nil)

        // A page beyond the list failed. A whole list says it is not the alert's: resolved. A cut list
        // cannot say: the page's last successful scan decides (it stored _ga, or is unknown: held).
        let unlisted: Set<PageKey> = [pages[200]]
        let cases: [(AlertFinding, [PageKey: Set<String>], [AlertEvent.Transition])] = [
            (whole, [:], [.resolved]),
            (cut, [:], []),
            (cut, [pages[200]: ["_ga", "sessionid"]], []),
            (cut, [pages[200]: ["sessionid"]], [.resolved]),
        ]
        for (alert, lastCookies, expected) in cases {
            var lifecycle = AlertLifecycle()
            let policy = AlertPolicy()
            let first = lifecycle.observe(
                .init(site: "example", time: Self.start, findings: [alert], failedPages: []), policy: policy)
            #expect(first.map(\.event) == [.firing])
            let next = lifecycle.observe(
                .init(
                    site: "example", time: Self.start.addingTimeInterval(3_600), findings: [], failedPages: unlisted,
                    lastCookies: lastCookies),
                policy: policy)
            #expect(next.map(\.event) == expected, "\(lastCookies)")
        }
    }
}

@Suite("Alert policy from the configuration")
struct AlertPolicyFromConfigurationTests {
    @Test("scan-error and declared-not-seen wait the configured number of passes; the repeat interval is the alerts'")
    func mapping() {
        var policy = Policy.standard
        policy.scanErrorAfterFailures = 5
        policy.declaredNotSeenAfterScans = 7
        let alerts = AlertPolicy(policy, repeatInterval: .seconds(3600))
        #expect(alerts.firingAfterByKind == ["scan-error": 5, "declared-not-seen": 7])
        #expect(alerts.firingAfter == 1 && alerts.resolvedAfter == 1 && alerts.repeatInterval == .seconds(3600))
    }
}
