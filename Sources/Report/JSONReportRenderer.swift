import Audit
import Charter
import StrictJSON
import Watch

/// Renders a report as JSON for tools; the shape is documented in `docs/report.md`.
public enum JSONReportRenderer {
    public static func render(_ report: DriftReport) -> String { ReportStream.text { render(report, to: &$0) } }

    /// Writes the JSON to `stream` one site at a time: the same text as `JSONWriter.pretty(value(report))`
    /// without building the whole tree.
    public static func render(_ report: DriftReport, to stream: inout ReportStream) {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (key, value) in head(report) {
            out += Array("\n  ".utf8)
            JSONWriter.appendString(key, to: &out)
            out += Array(": ".utf8)
            JSONWriter.appendPretty(value, indent: 1, to: &out)
            out.append(UInt8(ascii: ","))
        }
        out += Array("\n  \"sites\": ".utf8)
        if report.sites.isEmpty {
            out += Array("[]".utf8)
        } else {
            out.append(UInt8(ascii: "["))
            for (index, site) in report.sites.enumerated() {
                out += Array((index == 0 ? "\n    " : ",\n    ").utf8)
                JSONWriter.appendPretty(self.site(site), indent: 2, to: &out)
                stream.write(out)
                out.removeAll(keepingCapacity: true)
            }
            out += Array("\n  ]".utf8)
        }
        out += Array("\n}\n".utf8)
        stream.write(out)
    }

    public static func value(_ report: DriftReport) -> JSONValue {
        .object(head(report) + [("sites", .array(report.sites.map(site)))])
    }

    /// The members before `sites`.
    private static func head(_ report: DriftReport) -> [(String, JSONValue)] {
        [
            ("window", .object([("since", time(report.window.since)), ("until", time(report.window.until))])),
            ("generated", time(report.generated)),
            ("empty", .bool(report.isEmpty)),
            (
                "verdicts",
                .object(report.verdictCounts.map { ($0.severity.rawValue, JSONValue.integer($0.count)) })
            ),
            (
                "warnings",
                .array(
                    report.warnings.map {
                        .object([
                            ("file", .string($0.file)), ("line", $0.line.map(JSONValue.integer) ?? null),
                            ("message", .string($0.message)),
                        ])
                    })
            ),
        ]
    }

    private static let null = JSONValue(.null)

    private static func time(_ seconds: Int64) -> JSONValue { .string(ReportText.time(seconds)) }

    private static func strings(_ texts: [String]) -> JSONValue { .array(texts.map(JSONValue.string)) }

    private static func page(_ page: PageRef) -> JSONValue {
        .object([("url", .string(page.url)), ("variant", .string(page.variant))])
    }

    private static func identity(_ id: CookieIdentity) -> JSONValue {
        .object([
            ("name", .string(id.name)), ("domain", .string(id.domain)), ("hostOnly", .bool(id.hostOnly)),
            ("path", .string(id.path)),
        ])
    }

    private static func attributes(_ a: CookieAttributes?) -> JSONValue {
        guard let a else { return null }
        return .object([
            ("secure", .bool(a.secure)), ("httpOnly", .bool(a.httpOnly)), ("sameSite", .string(a.sameSite.rawValue)),
            ("partitioned", .bool(a.partitioned)), ("lifetime", a.lifetime.map { .integer(Int($0)) } ?? null),
            ("setBy", .string(a.setBy)), ("valueShape", .string(a.valueShape)),
        ])
    }

    private static func site(_ site: SiteReport) -> JSONValue {
        .object([
            ("name", .string(site.name)),
            ("pages", .array(site.pages.map(page))),
            ("scans", .integer(site.scans)),
            ("failedScans", .integer(site.failedScans)),
            ("cookiesNow", .array(site.cookiesNow.map(identity))),
            ("cookies", .array(site.cookies.map(cookie))),
            (
                "timeline",
                .array(
                    site.timeline.map {
                        .object([
                            ("time", time($0.time)), ("page", page($0.page)),
                            ("change", .string($0.event.change.rawValue)),
                            ("cookie", identity($0.event.cookie)), ("before", attributes($0.event.before)),
                            ("after", attributes($0.event.after)),
                        ])
                    })
            ),
            (
                "series",
                .array(
                    site.series.map {
                        .object([("day", .string(ReportText.day($0.day))), ("cookies", .integer($0.cookies))])
                    })
            ),
            ("verdicts", .array(site.verdicts.map(verdict))),
            (
                "findingSeries",
                .array(
                    site.findingSeries.map { point in
                        .object(
                            [("day", .string(ReportText.day(point.day)))]
                                + Severity.allCases.sorted(by: >).map {
                                    ($0.rawValue, JSONValue.integer(point.counts[$0] ?? 0))
                                })
                    })
            ),
            ("coverage", site.coverage.map(coverage) ?? null),
            (
                "alerts",
                .object([
                    ("opened", .array(site.alertsOpened.map(alert))),
                    ("resolved", .array(site.alertsResolved.map(alert))),
                    ("open", .array(site.alertsOpen.map(alert))),
                ])
            ),
            ("baseline", site.baseline.map(baseline) ?? null),
        ])
    }

    private static func baseline(_ comparison: BaselineComparison) -> JSONValue {
        .object([
            ("pinnedAt", time(comparison.pinnedAt)), ("pinnedBy", .string(comparison.pinnedBy)),
            (
                "changes",
                .array(
                    comparison.changes.map {
                        .object([
                            ("page", page($0.page)), ("change", .string($0.event.change.rawValue)),
                            ("cookie", identity($0.event.cookie)), ("before", attributes($0.event.before)),
                            ("after", attributes($0.event.after)),
                        ])
                    })
            ),
            ("missingPages", .array(comparison.missingPages.map(page))),
            ("unpinnedPages", .array(comparison.unpinnedPages.map(page))),
        ])
    }

    private static func cookie(_ cookie: CookieReport) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("cookie", identity(cookie.identity)),
            ("firstSeen", time(cookie.firstSeen)), ("lastSeen", time(cookie.lastSeen)),
            ("pages", .array(cookie.pages.map(page))), ("setBy", strings(cookie.setBy)),
            (
                "lifetime",
                cookie.lifetimes.map {
                    .object([("min", .integer(Int($0.lowerBound))), ("max", .integer(Int($0.upperBound)))])
                } ?? null
            ),
            ("sessionSeen", .bool(cookie.sessionSeen)),
            ("attributes", attributes(cookie.attributes)),
            ("seenScans", .integer(cookie.seenScans)), ("possibleScans", .integer(cookie.possibleScans)),
            ("current", .bool(cookie.isCurrent)),
        ]
        switch cookie.charter {
        case .declared(let d):
            members.append(
                (
                    "charter",
                    .object([
                        ("status", .string("declared")), ("entry", .string(d.entry)), ("charter", .string(d.charter)),
                        ("provider", d.provider.map(JSONValue.string) ?? null), ("category", .string(d.category)),
                        ("duration", d.duration.map(JSONValue.string) ?? null),
                        ("lifetimeExceeds", .bool(d.lifetimeExceeds)),
                    ])
                ))
        case .ambiguous(let entries):
            members.append(("charter", .object([("status", .string("ambiguous")), ("entries", strings(entries))])))
        case .undeclared:
            members.append(("charter", .object([("status", .string("undeclared"))])))
        case nil:
            members.append(("charter", null))
        }
        return .object(members)
    }

    private static func coverage(_ coverage: CharterCoverage) -> JSONValue {
        .object([
            ("declaredSeen", strings(coverage.declaredSeen)),
            ("declaredNotSeen", .object(coverage.declaredNotSeen.map { ($0.observable, strings($0.entries)) })),
            ("undeclared", strings(coverage.undeclared)),
            ("proposedEntries", .array(coverage.proposedEntries.map(\.entry))),
        ])
    }

    /// A standing finding: the alert's fields, its page variants and the evidence of its cookie.
    private static func verdict(_ verdict: Verdict) -> JSONValue {
        .object([
            ("id", .string(verdict.note.id)), ("severity", .string(verdict.note.severity)),
            ("kind", .string(verdict.note.kind)), ("cookie", verdict.note.cookie.map(JSONValue.string) ?? null),
            ("message", .string(verdict.note.message)), ("since", time(verdict.since)),
            (
                "pages",
                .array(
                    verdict.note.pages.map { .object([("url", .string($0.url)), ("variant", .string($0.variant))]) })
            ),
            ("pageCount", .integer(verdict.note.totalPages)),
            ("evidence", verdict.evidence.map(JSONValue.string) ?? null),
        ])
    }

    private static func alert(_ note: AlertNote) -> JSONValue {
        .object([
            ("id", .string(note.id)), ("kind", .string(note.kind)), ("severity", .string(note.severity)),
            ("cookie", note.cookie.map(JSONValue.string) ?? null), ("message", .string(note.message)),
            ("time", time(note.time)),
        ])
    }
}
