import Charter
import Audit
import CookieModel
import Watch

/// The words and numbers every renderer shows the same way.
enum ReportText {
    static func time(_ seconds: Int64) -> String { CivilTime.rfc3339(seconds) }

    static func day(_ seconds: Int64) -> String { ReportWindow.day(of: seconds) }

    static func window(_ window: ReportWindow) -> String {
        "\(time(window.since)) to \(time(window.until)) (UTC)"
    }

    static let nothingScanned = "Nothing scanned in this window."

    static func nothingScannedDetail(_ window: ReportWindow) -> String {
        "The history holds no scan between \(time(window.since)) and \(time(window.until)): "
            + "the daemon was not running, or --since/--until/--site miss the scans."
    }

    static func page(_ page: PageRef) -> String { "\(page.url) [\(page.variant)]" }

    static func attributes(_ a: CookieAttributes) -> String {
        var parts: [String] = []
        if a.secure { parts.append("Secure") }
        if a.httpOnly { parts.append("HttpOnly") }
        parts.append("SameSite=\(a.sameSite.rawValue)")
        if a.partitioned { parts.append("Partitioned") }
        parts.append("lifetime \(LifetimeText.describe(a.lifetime))")
        parts.append("value \(a.valueShape)")
        return parts.joined(separator: ", ")
    }

    static func lifetime(_ cookie: CookieReport) -> String {
        var text: String
        if let range = cookie.lifetimes {
            text =
                range.lowerBound == range.upperBound
                ? LifetimeText.describe(range.upperBound)
                : "\(LifetimeText.describe(range.lowerBound)) to \(LifetimeText.describe(range.upperBound))"
            if cookie.sessionSeen { text += " or session" }
        } else {
            text = "session"
        }
        if case .declared(let declared) = cookie.charter {
            text += " (declared: \(declared.duration ?? "none")\(declared.lifetimeExceeds ? ", EXCEEDED" : ""))"
        }
        return text
    }

    static func share(_ cookie: CookieReport) -> String {
        "\(Int((cookie.share * 100).rounded()))% (\(cookie.seenScans)/\(cookie.possibleScans))"
    }

    static func charter(_ status: CharterStatus?) -> (provider: String, category: String) {
        switch status {
        case .declared(let d): return (d.provider ?? "", d.category)
        case .ambiguous(let entries): return ("", "ambiguous: " + entries.joined(separator: ", "))
        case .undeclared: return ("", "UNDECLARED")
        case nil: return ("", "no charter")
        }
    }

    static func change(_ entry: TimelineEntry) -> (before: String, after: String) {
        (entry.event.before.map(attributes) ?? "", entry.event.after.map(attributes) ?? "")
    }

    static func alert(_ note: AlertNote) -> String {
        "\(time(note.time)) \(note.severity) \(note.kind)\(note.cookie.map { " \($0)" } ?? ""): \(note.message)"
    }

    static func baselineTitle(_ comparison: BaselineComparison) -> String {
        "Against the pinned baseline (pinned \(time(comparison.pinnedAt)) by \(comparison.pinnedBy))"
    }

    static let baselineUnchanged = "No change: the latest cookies of every pinned page variant are the pinned ones."

    static let baselineMissing = "Pinned, but without a cookie list in the history read (not scanned since, or removed)"

    static let baselineUnpinned = "Not in the baseline (first scanned after the pin)"

    static let unknownCategoryNote =
        "category \"unknown\" is a placeholder: pick necessary, preferences, statistics or marketing "
        + "before pasting (the charter does not load until you do)."

    /// "critical 1, high 1, medium 5, low 0, info 0"
    static func counts(_ counts: [(severity: Severity, count: Int)]) -> String {
        counts.map { "\($0.severity.rawValue) \($0.count)" }.joined(separator: ", ")
    }

    /// The first three pages and how many more.
    /// The first three pages and how many more (`total`, when the list given is cut, says how many
    /// there are in all).
    static func pages(_ pages: [PageRef], total: Int? = nil) -> String {
        let shown = pages.prefix(3).map(page).joined(separator: ", ")
        let count = max(total ?? pages.count, pages.count)
        return count > 3 ? "\(shown) and \(count - 3) more" : shown
    }

    static let verdictsTitle = "Findings standing at the end of the window"
    static let noVerdicts = "No finding stands at the end of the window."
}
