import Foundation

/// Renders a report as Markdown, for tickets.
public enum MarkdownRenderer {
    public static func render(_ report: DriftReport) -> String { ReportStream.text { render(report, to: &$0) } }

    /// Writes the Markdown to `stream` one site at a time.
    public static func render(_ report: DriftReport, to stream: inout ReportStream) {
        var out = "# Cookie drift report\n\nWindow: \(ReportText.window(report.window)). "
        out += "Generated \(ReportText.time(report.generated)).\n"
        if !report.warnings.isEmpty {
            out += "\n## Warnings\n\n"
            for warning in report.warnings { out += "- \(escape(warning.description))\n" }
        }
        if report.isEmpty {
            out += "\n**\(ReportText.nothingScanned)** \(ReportText.nothingScannedDetail(report.window))\n"
            stream.write(out)
            return
        }
        out += verdicts(report)
        stream.write(out)
        for site in report.sites { stream.write(self.site(site)) }
    }

    /// The summary at the top: counts by severity, every standing finding across sites, what changed.
    private static func verdicts(_ report: DriftReport) -> String {
        var out = "\n## \(ReportText.verdictsTitle)\n\n**\(ReportText.counts(report.verdictCounts))**\n\n"
        let all = report.verdicts
        if all.isEmpty {
            out += ReportText.noVerdicts + "\n"
        } else {
            out += table(
                ["severity", "site", "kind", "cookie", "pages and variants", "since"],
                all.map { site, verdict in
                    [
                        verdict.note.severity.uppercased(), site, verdict.note.kind, verdict.note.cookie ?? "",
                        ReportText.pages(verdict.note.pages, total: verdict.note.pageCount),
                        ReportText.time(verdict.since),
                    ]
                })
        }
        out += "\nIn the window: \(report.appearedCount) appeared, \(report.resolvedCount) resolved.\n"
        return out
    }

    /// A site's standing findings with their evidence, then what appeared and was resolved.
    private static func siteVerdicts(_ site: SiteReport) -> String {
        var out = "\n### Findings\n\n"
        if site.verdicts.isEmpty {
            out += ReportText.noVerdicts + "\n"
        } else {
            out += table(
                ["severity", "kind", "cookie", "finding", "pages and variants", "since", "evidence"],
                site.verdicts.map { verdict in
                    [
                        verdict.note.severity.uppercased(), verdict.note.kind, verdict.note.cookie ?? "",
                        verdict.note.message, ReportText.pages(verdict.note.pages, total: verdict.note.pageCount),
                        ReportText.time(verdict.since),
                        verdict.evidence ?? "",
                    ]
                })
        }
        for (title, notes) in [
            ("Appeared in the window", site.alertsOpened), ("Resolved in the window", site.alertsResolved),
        ]
        where !notes.isEmpty {
            out += "\n\(title):\n\n" + notes.map { "- \(escape(ReportText.alert($0)))\n" }.joined()
        }
        return out
    }

    private static func site(_ site: SiteReport) -> String {
        var out = "\n## Site \(escape(site.name))\n" + siteVerdicts(site) + "\n"
        out += table(
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
            out += "\nPages: " + site.pages.map { "`\(ReportText.page($0))`" }.joined(separator: ", ") + "\n"
        }
        if let coverage = site.coverage {
            out += "\n### Charter coverage\n\n"
            out += "- Declared and seen (\(coverage.declaredSeen.count)): \(names(coverage.declaredSeen))\n"
            for group in coverage.declaredNotSeen {
                out += "- Declared, not seen, observable `\(group.observable)` (\(group.entries.count)): "
                out += "\(names(group.entries))\n"
            }
            out += "- Undeclared (\(coverage.undeclared.count)): \(names(coverage.undeclared))\n"
        }
        out += "\n### Cookies\n\n"
        if site.cookies.isEmpty {
            out += "No cookie stored in a successful scan.\n"
        } else {
            out += table(
                [
                    "cookie", "domain, path", "provider", "category", "first seen", "last seen", "pages", "set by",
                    "lifetime", "attributes", "seen in",
                ],
                site.cookies.map { cookie in
                    let charter = ReportText.charter(cookie.charter)
                    return [
                        "`\(cookie.identity.name)`\(cookie.isCurrent ? "" : " (gone)")",
                        "\(cookie.identity.hostOnly ? "" : ".")\(cookie.identity.domain) \(cookie.identity.path)",
                        charter.provider, charter.category, ReportText.time(cookie.firstSeen),
                        ReportText.time(cookie.lastSeen), cookie.pages.map(ReportText.page).joined(separator: ", "),
                        cookie.setBy.joined(separator: ", "), ReportText.lifetime(cookie),
                        ReportText.attributes(cookie.attributes), ReportText.share(cookie),
                    ]
                })
        }
        out += "\n### Drift timeline\n\n"
        if site.timeline.isEmpty {
            out += "No drift in this window.\n"
        } else {
            out += table(
                ["time", "page", "change", "cookie", "before", "after"],
                site.timeline.map { entry in
                    let change = ReportText.change(entry)
                    return [
                        ReportText.time(entry.time), ReportText.page(entry.page), entry.event.change.rawValue,
                        entry.event.cookie.name, change.before, change.after,
                    ]
                })
        }
        if let comparison = site.baseline { out += baseline(comparison) }
        if let coverage = site.coverage { out += proposals(coverage) }
        return out
    }

    private static func baseline(_ comparison: BaselineComparison) -> String {
        var out = "\n### \(ReportText.baselineTitle(comparison))\n\n"
        if comparison.changes.isEmpty {
            out += ReportText.baselineUnchanged + "\n"
        } else {
            out += table(
                ["page", "change", "cookie", "pinned", "now"],
                comparison.changes.map { change in
                    [
                        ReportText.page(change.page), change.event.change.rawValue, change.event.cookie.name,
                        change.event.before.map(ReportText.attributes) ?? "",
                        change.event.after.map(ReportText.attributes) ?? "",
                    ]
                })
        }
        for (title, pages) in [
            (ReportText.baselineMissing, comparison.missingPages),
            (ReportText.baselineUnpinned, comparison.unpinnedPages),
        ] where !pages.isEmpty {
            out += "\n\(title): " + pages.map { "`\(ReportText.page($0))`" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    private static func proposals(_ coverage: CharterCoverage) -> String {
        var out = "\n### Proposed charter changes\n\n"
        let unseenHeader = coverage.declaredNotSeen.first { $0.observable == "header" }?.entries ?? []
        if coverage.proposedEntries.isEmpty && unseenHeader.isEmpty {
            return out + "None: every cookie seen is declared and every header entry was seen.\n"
        }
        if !coverage.proposedEntries.isEmpty {
            out += "Add these entries (\(ReportText.unknownCategoryNote)):\n\n```json\n"
            out += coverage.proposedEntries.map(\.json).joined(separator: ",\n") + "\n```\n"
        }
        if !unseenHeader.isEmpty {
            out += "\nDeclared as set by a header but not seen in the whole window: remove, or mark where they "
            out += "are set (`observable`): \(names(unseenHeader))\n"
        }
        return out
    }

    /// A table: the header row, its separator, and each row's cells escaped.
    private static func table(_ headers: [String], _ rows: [[String]]) -> String {
        var out = "| " + headers.joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: "---|", count: headers.count) + "\n"
        for cells in rows { out += "| " + cells.map(escape).joined(separator: " | ") + " |\n" }
        return out
    }

    private static func names(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.map { "`\($0)`" }.joined(separator: ", ")
    }

    /// Table cells and list items: pipes and newlines would break the Markdown.
    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
