/// The report's two tables as CSV (RFC 4180), for the records of processing a privacy team keeps:
/// `cookies.csv`, one row per cookie of each site, and `findings.csv`, one row per finding standing at
/// the end of the window. Layout in docs/report.md.
public enum CSVRenderer {
    public static let cookieColumns = [
        "site", "name", "domain", "host_only", "path", "status", "charter_entry", "charter", "provider", "category",
        "declared_duration", "lifetime_exceeds_declared", "lifetime_min_seconds", "lifetime_max_seconds",
        "session_seen", "secure", "http_only", "same_site", "set_by", "first_seen", "last_seen", "current",
        "seen_scans", "possible_scans", "pages",
    ]
    public static let findingColumns = [
        "site", "severity", "kind", "cookie", "message", "since", "pages", "evidence", "id",
    ]

    public static func cookies(_ report: DriftReport) -> String {
        var out = line(cookieColumns)
        for site in report.sites {
            for cookie in site.cookies {
                var status = "", entry = "", charter = "", provider = "", category = "", declared = "", exceeds = ""
                switch cookie.charter {
                case .declared(let d)?:
                    status = "declared"
                    entry = d.entry
                    charter = d.charter
                    provider = d.provider ?? ""
                    category = d.category
                    declared = d.duration ?? ""
                    exceeds = String(d.lifetimeExceeds)
                case .ambiguous(let entries)?:
                    status = "ambiguous"
                    entry = entries.joined(separator: "; ")
                case .undeclared?:
                    status = "undeclared"
                case nil:
                    break
                }
                out += line([
                    site.name, cookie.identity.name, cookie.identity.domain, String(cookie.identity.hostOnly),
                    cookie.identity.path, status, entry, charter, provider, category, declared, exceeds,
                    cookie.lifetimes.map { String($0.lowerBound) } ?? "",
                    cookie.lifetimes.map { String($0.upperBound) } ?? "", String(cookie.sessionSeen),
                    String(cookie.attributes.secure), String(cookie.attributes.httpOnly),
                    cookie.attributes.sameSite.rawValue, cookie.setBy.joined(separator: " "),
                    ReportText.time(cookie.firstSeen), ReportText.time(cookie.lastSeen), String(cookie.isCurrent),
                    String(cookie.seenScans), String(cookie.possibleScans),
                    cookie.pages.map(ReportText.page).joined(separator: "; "),
                ])
            }
        }
        return out
    }

    public static func findings(_ report: DriftReport) -> String {
        var out = line(findingColumns)
        for (site, verdict) in report.verdicts {
            out += line([
                site, verdict.note.severity, verdict.note.kind, verdict.note.cookie ?? "", verdict.note.message,
                ReportText.time(verdict.since), verdict.note.pages.map(ReportText.page).joined(separator: "; "),
                verdict.evidence ?? "", verdict.note.id,
            ])
        }
        return out
    }

    /// One record, CRLF-terminated as RFC 4180 says.
    static func line(_ cells: [String]) -> String { cells.map(cell).joined(separator: ",") + "\r\n" }

    /// A field quoted when it must be; one a spreadsheet would read as a formula (`=`, `+`, `-`, `@`,
    /// a tab or a carriage return first: a hostile site chooses cookie names and URLs) gets a leading
    /// `'`, as OWASP advises, so that pasting the file runs nothing.
    static func cell(_ text: String) -> String {
        var scalars = String.UnicodeScalarView(text.unicodeScalars)
        if let first = scalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isDecimal(text) {
            scalars.insert("'", at: scalars.startIndex)
        }
        // By scalar, not by Character: a comma or quote followed by a combining mark is one Character.
        let special: Set<Unicode.Scalar> = [",", "\"", "\n", "\r"]
        guard scalars.contains(where: special.contains) else { return String(scalars) }
        var out = String.UnicodeScalarView()
        out.append("\"")
        for scalar in scalars {
            if scalar == "\"" { out.append("\"") }
            out.append(scalar)
        }
        out.append("\"")
        return String(out)
    }

    /// `-1`, `+2.5`: a plain decimal number, which a spreadsheet reads as a number, not a formula.
    static func isDecimal(_ text: String) -> Bool {
        var digits = 0
        var dots = 0
        for (index, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case "-" where index == 0, "+" where index == 0: continue
            case "0"..."9": digits += 1
            case ".": dots += 1
            default: return false
            }
        }
        return digits > 0 && dots <= 1
    }
}
