/// Renders a report as one self-contained HTML page: inline CSS (with print rules) and an inline SVG
/// chart; no script, no network, no external asset.
public enum HTMLRenderer {
    public static func render(_ report: DriftReport) -> String { ReportStream.text { render(report, to: &$0) } }

    /// Writes the page to `stream` one site at a time.
    public static func render(_ report: DriftReport, to stream: inout ReportStream) {
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        out += "<title>Cookie drift report</title><style>\(style)</style></head><body>\n"
        out += "<header><h1>Cookie drift report</h1><p>Window: \(e(ReportText.window(report.window))). "
        out += "Generated \(e(ReportText.time(report.generated))).</p></header>\n"
        if !report.warnings.isEmpty {
            out += "<section id=\"warnings\" class=\"warnings\"><h2>Warnings</h2><ul>"
            for warning in report.warnings { out += "<li><code>\(e(warning.description))</code></li>" }
            out += "</ul></section>\n"
        }
        if report.isEmpty {
            out += "<section id=\"empty\"><h2>\(e(ReportText.nothingScanned))</h2>"
            out += "<p>\(e(ReportText.nothingScannedDetail(report.window)))</p></section>\n"
            stream.write(out + "</body></html>\n")
            return
        }
        out += verdicts(report)
        out += "<section id=\"chart-section\"><h2>Cookies per site over time</h2><figure>"
        out += SVGChart.render(report)
        out += "<figcaption>Distinct cookies stored at the end of each day with scans; marks are drift events."
        out += "</figcaption></figure></section>\n"
        if report.sites.contains(where: { !$0.findingSeries.isEmpty }) {
            out += "<section id=\"findings-chart-section\"><h2>Findings by severity over time</h2><figure>"
            out += FindingsChart.render(report)
            out += "<figcaption>Findings standing (alerts firing) at the end of each day, across sites, by severity."
            out += "</figcaption></figure></section>\n"
        }
        stream.write(out)
        for site in report.sites { stream.write(self.site(site)) }
        stream.write("</body></html>\n")
    }

    private static func e(_ text: String) -> String { HTMLEscape.text(text) }

    private static func table(_ id: String, _ headers: [String], _ rows: [[String]]) -> String {
        var out =
            "<table class=\"\(id)\"><thead><tr>" + headers.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows { out += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>" }
        return out + "</tbody></table>"
    }

    private static func names(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.map { "<code>\(e($0))</code>" }.joined(separator: ", ")
    }

    private static func site(_ site: SiteReport) -> String {
        let id =
            "site-"
            + String(
                site.name.unicodeScalars.map {
                    $0.properties.isAlphabetic || ("0"..."9").contains($0) ? Character($0) : "-"
                })
        var out = "<section class=\"site\" id=\"\(e(id))\"><h2>Site \(e(site.name))</h2>"
        out += siteVerdicts(site)
        out += table(
            "summary",
            [
                "pages and variants", "scans", "failed scans", "cookies now", "alerts opened", "alerts resolved",
                "alerts open",
            ],
            [
                [
                    site.pages.count, site.scans, site.failedScans, site.cookiesNow.count, site.alertsOpened.count,
                    site.alertsResolved.count, site.alertsOpen.count,
                ].map(String.init)
            ])
        if !site.pages.isEmpty {
            out +=
                "<p>Pages: " + site.pages.map { "<code>\(e(ReportText.page($0)))</code>" }.joined(separator: ", ")
                + "</p>"
        }
        if let coverage = site.coverage {
            out += "<section class=\"coverage\"><h3>Charter coverage</h3><ul>"
            out += "<li>Declared and seen (\(coverage.declaredSeen.count)): \(names(coverage.declaredSeen))</li>"
            for group in coverage.declaredNotSeen {
                out +=
                    "<li>Declared, not seen, observable <code>\(e(group.observable))</code> (\(group.entries.count)): "
                out += "\(names(group.entries))</li>"
            }
            out +=
                "<li class=\"undeclared\">Undeclared (\(coverage.undeclared.count)): \(names(coverage.undeclared))</li>"
            out += "</ul></section>"
        }
        out += "<section class=\"cookies\"><h3>Cookies</h3>"
        if site.cookies.isEmpty {
            out += "<p>No cookie stored in a successful scan.</p>"
        } else {
            out += table(
                "cookies",
                [
                    "cookie", "domain, path", "provider", "category", "first seen", "last seen", "pages", "set by",
                    "lifetime",
                    "attributes", "seen in",
                ],
                site.cookies.map { cookie in
                    let charter = ReportText.charter(cookie.charter)
                    let flag = charter.category == "UNDECLARED" ? " class=\"flag\"" : ""
                    return [
                        "<code>\(e(cookie.identity.name))</code>\(cookie.isCurrent ? "" : " (gone)")",
                        e("\(cookie.identity.hostOnly ? "" : ".")\(cookie.identity.domain) \(cookie.identity.path)"),
                        e(charter.provider), "<span\(flag)>\(e(charter.category))</span>",
                        e(ReportText.time(cookie.firstSeen)), e(ReportText.time(cookie.lastSeen)),
                        cookie.pages.map { e(ReportText.page($0)) }.joined(separator: "<br>"),
                        cookie.setBy.map(e).joined(separator: "<br>"), e(ReportText.lifetime(cookie)),
                        e(ReportText.attributes(cookie.attributes)), e(ReportText.share(cookie)),
                    ]
                })
        }
        out += "</section><section class=\"timeline\"><h3>Drift timeline</h3>"
        if site.timeline.isEmpty {
            out += "<p>No drift in this window.</p>"
        } else {
            out += table(
                "timeline", ["time", "page", "change", "cookie", "before", "after"],
                site.timeline.map { entry in
                    let change = ReportText.change(entry)
                    return [
                        e(ReportText.time(entry.time)), e(ReportText.page(entry.page)),
                        "<span class=\"\(entry.event.change.rawValue)\">\(entry.event.change.rawValue)</span>",
                        "<code>\(e(entry.event.cookie.name))</code>", e(change.before), e(change.after),
                    ]
                })
        }
        out += "</section>"
        if let comparison = site.baseline { out += baseline(comparison) }
        if let coverage = site.coverage { out += proposals(coverage) }
        return out + "</section>\n"
    }

    private static func baseline(_ comparison: BaselineComparison) -> String {
        var out = "<section class=\"baseline\"><h3>\(e(ReportText.baselineTitle(comparison)))</h3>"
        if comparison.changes.isEmpty {
            out += "<p>\(e(ReportText.baselineUnchanged))</p>"
        } else {
            out += table(
                "baseline", ["page", "change", "cookie", "pinned", "now"],
                comparison.changes.map { change in
                    [
                        e(ReportText.page(change.page)),
                        "<span class=\"\(change.event.change.rawValue)\">\(change.event.change.rawValue)</span>",
                        "<code>\(e(change.event.cookie.name))</code>",
                        e(change.event.before.map(ReportText.attributes) ?? ""),
                        e(change.event.after.map(ReportText.attributes) ?? ""),
                    ]
                })
        }
        for (title, pages) in [
            (ReportText.baselineMissing, comparison.missingPages),
            (ReportText.baselineUnpinned, comparison.unpinnedPages),
        ] where !pages.isEmpty {
            out += "<p>\(e(title)): " + pages.map { "<code>\(e(ReportText.page($0)))</code>" }.joined(separator: ", ")
            out += "</p>"
        }
        return out + "</section>"
    }

    private static func severity(_ severity: String) -> String {
        "<span class=\"severity \(e(severity))\">\(e(severity.uppercased()))</span>"
    }

    /// The summary at the top: counts by severity, every standing finding across sites, what changed.
    private static func verdicts(_ report: DriftReport) -> String {
        var out = "<section id=\"verdicts\" class=\"verdicts\"><h2>\(e(ReportText.verdictsTitle))</h2>"
        out += "<p class=\"counts\">\(e(ReportText.counts(report.verdictCounts)))</p>"
        let all = report.verdicts
        if all.isEmpty {
            out += "<p>\(e(ReportText.noVerdicts))</p>"
        } else {
            out += table(
                "verdicts", ["severity", "site", "kind", "cookie", "pages and variants", "since"],
                all.map { site, verdict in
                    [
                        severity(verdict.note.severity), e(site), e(verdict.note.kind),
                        verdict.note.cookie.map { "<code>\(e($0))</code>" } ?? "",
                        e(ReportText.pages(verdict.note.pages, total: verdict.note.pageCount)),
                        e(ReportText.time(verdict.since)),
                    ]
                })
        }
        out += "<p>In the window: \(report.appearedCount) appeared, \(report.resolvedCount) resolved.</p></section>\n"
        return out
    }

    /// A site's standing findings with their evidence, then what appeared and was resolved in the window.
    private static func siteVerdicts(_ site: SiteReport) -> String {
        var out = "<section class=\"verdicts\"><h3>Findings</h3>"
        if site.verdicts.isEmpty {
            out += "<p>\(e(ReportText.noVerdicts))</p>"
        } else {
            out += table(
                "site-verdicts", ["severity", "kind", "cookie", "finding", "pages and variants", "since", "evidence"],
                site.verdicts.map { verdict in
                    [
                        severity(verdict.note.severity), e(verdict.note.kind),
                        verdict.note.cookie.map { "<code>\(e($0))</code>" } ?? "", e(verdict.note.message),
                        e(ReportText.pages(verdict.note.pages, total: verdict.note.pageCount)),
                        e(ReportText.time(verdict.since)),
                        e(verdict.evidence ?? ""),
                    ]
                })
        }
        for (title, notes) in [
            ("Appeared in the window", site.alertsOpened), ("Resolved in the window", site.alertsResolved),
        ]
        where !notes.isEmpty {
            out += "<h4>\(title)</h4><ul>" + notes.map { "<li>\(e(ReportText.alert($0)))</li>" }.joined() + "</ul>"
        }
        return out + "</section>"
    }

    private static func proposals(_ coverage: CharterCoverage) -> String {
        var out = "<section class=\"proposals\"><h3>Proposed charter changes</h3>"
        let unseenHeader = coverage.declaredNotSeen.first { $0.observable == "header" }?.entries ?? []
        if coverage.proposedEntries.isEmpty && unseenHeader.isEmpty {
            return out + "<p>None: every cookie seen is declared and every header entry was seen.</p></section>"
        }
        if !coverage.proposedEntries.isEmpty {
            out += "<p>Add these entries (<strong>\(e(ReportText.unknownCategoryNote))</strong>):</p>"
            out += "<pre>\(e(coverage.proposedEntries.map(\.json).joined(separator: ",\n")))</pre>"
        }
        if !unseenHeader.isEmpty {
            out +=
                "<p>Declared as set by a header but not seen in the whole window: remove, or mark where they are set "
            out += "(<code>observable</code>): \(names(unseenHeader))</p>"
        }
        return out + "</section>"
    }

    private static let style = """
        body{font:14px/1.45 system-ui,sans-serif;color:#1a1a1a;margin:2em auto;max-width:1200px;padding:0 1em}\
        h1{font-size:1.6em}h2{border-bottom:2px solid #1b6ca8;padding-bottom:.2em;margin-top:1.6em}\
        table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.9em}\
        th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:break-word}\
        table.cookies{font-size:.85em}table.cookies td:nth-child(7),table.cookies td:nth-child(8),\
        table.timeline td:nth-child(2),table.baseline td:nth-child(1){overflow-wrap:anywhere}\
        th{background:#eef3f8}code{font-family:ui-monospace,monospace}\
        pre{background:#f6f6f6;border:1px solid #ddd;padding:.6em;overflow-x:auto}\
        .warnings{background:#fff4e0;border:1px solid #e0a030;padding:.2em 1em}\
        .flag,.appeared{color:#a00;font-weight:bold}.disappeared{color:#555}.changed{color:#a05a00}\
        .severity{font-weight:bold}.severity.critical,.severity.high{color:#a00}.severity.medium{color:#a05a00}\
        .counts{font-size:1.1em;font-weight:bold}\
        figure{margin:0}figcaption{font-size:.85em;color:#555}\
        @media print{body{margin:0;max-width:none;font-size:10pt}\
        h2{page-break-after:avoid}.site{page-break-before:always}\
        table,tr,pre,figure{page-break-inside:avoid}th{background:#eee}\
        pre{white-space:pre-wrap}a{color:inherit;text-decoration:none}}
        """
}
