import Audit
import Scanning
import Charter
import Foundation

/// The text of `scan` for a person in a terminal: per site a cookie table, then the findings.
extension ScanReport {
    func text(colour: Bool) -> String {
        var out = ""
        for site in sites {
            let failed = site.failures.count
            out += "Site \(site.name): \(site.pageCount) page variant\(site.pageCount == 1 ? "" : "s") scanned"
            out += failed > 0 ? ", \(failed) failed\n" : "\n"
            out += cookieTable(site.audit.cookies)
            let findings = site.audit.findings
            out += findings.isEmpty ? "\nNo findings.\n" : "\nFindings (\(findings.count)):\n"
            for finding in findings {
                let label = finding.severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)
                out += "  \(paint(label, for: finding.severity, colour)) \(finding.kind.rawValue): \(finding.message)\n"
                let pages = finding.pages.map(\.description)
                if !pages.isEmpty {
                    out +=
                        "           on \(pages.prefix(3).joined(separator: ", "))\(pages.count > 3 ? " and \(pages.count - 3) more" : "")\n"
                }
                if [.undeclared, .thirdParty].contains(finding.kind),
                    let known = finding.evidence.first?.attributes["knownAs"]
                {
                    let source = finding.evidence.first?.attributes["knownSource"].map { ", \($0)" } ?? ""
                    out += "           known as: \(known) (a suggestion to review\(source))\n"
                }
            }
            for left in site.audit.omitted {
                let highest = left.highestSeverity.map { ", the highest \($0.rawValue)" } ?? ""
                out +=
                    "  and \(left.count) more finding\(left.count == 1 ? "" : "s") on \(left.page) left out "
                    + "(at most \(SiteAudit.defaultFindingsPerPage) per page\(highest))\n"
            }
            out += "\n"
        }
        if let notice = incompleteNotice { out += "INCOMPLETE: \(notice)\n" }
        return out
    }

    private func cookieTable(_ cookies: [AuditedCookie]) -> String {
        guard !cookies.isEmpty else { return "  no cookies stored\n" }
        let header = ["COOKIE", "SET BY", "CATEGORY", "LIFETIME / DECLARED", "FLAGS", "VERDICT"]
        let rows = cookies.map { c -> [String] in
            var flags = [c.hostOnly ? "host" : "domain=\(c.domain)"]
            if c.secure { flags.append("Secure") }
            if c.httpOnly { flags.append("HttpOnly") }
            flags.append("SameSite=\(c.sameSite.rawValue)")
            let declared = c.declared.map { $0.text } ?? (c.entry == nil ? "-" : "not stated")
            return [
                c.name, c.setBy + (c.setOnRedirect ? " (redirect)" : ""), c.category?.rawValue ?? "undeclared",
                "\(LifetimeText.describe(c.lifetime)) / \(declared)", flags.joined(separator: " "),
                c.findings.isEmpty ? "ok" : c.findings.map(\.rawValue).sorted().joined(separator: ", "),
            ]
        }
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            "  "
                + cells.enumerated().map { i, cell in
                    i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                }
                .joined(separator: "  ") + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    private func paint(_ text: String, for severity: Severity, _ colour: Bool) -> String {
        guard colour else { return text }
        let code =
            switch severity {
            case .critical: "1;31"
            case .high: "31"
            case .medium: "33"
            case .low: "36"
            case .info: "2"
            }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

/// Colour only on a terminal that wants it (https://no-color.org).
func terminalWantsColour(_ fd: Int32) -> Bool {
    isatty(fd) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        && ProcessInfo.processInfo.environment["TERM"] != "dumb"
}
