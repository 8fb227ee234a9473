import Audit
import Charter
import StrictJSON
import Watch

/// What `cookiewatch report` shows: per site, what was scanned, the cookies seen, how they drifted
/// and how they compare with the charters, plus the input it could not use.
public struct DriftReport: Sendable {
    public var window: ReportWindow
    /// When the report was made (Unix seconds).
    public var generated: Int64
    /// Sites by name: those scanned in the window and those the caller gave charters for.
    public var sites: [SiteReport]
    public var warnings: [ReportWarning]

    public init(window: ReportWindow, generated: Int64, sites: [SiteReport], warnings: [ReportWarning]) {
        self.window = window
        self.generated = generated
        self.sites = sites
        self.warnings = warnings
    }

    /// True when no page was scanned in the window: renderers say so instead of showing empty tables.
    public var isEmpty: Bool { sites.allSatisfy { $0.scans == 0 } }

    /// Every site's standing findings, highest severity first.
    public var verdicts: [(site: String, verdict: Verdict)] {
        sites.flatMap { site in site.verdicts.map { (site.name, $0) } }.sorted { Verdict.order($0.verdict, $1.verdict) }
    }

    /// Findings that appeared (alerts fired) and were resolved in the window, across sites.
    public var appearedCount: Int { sites.reduce(0) { $0 + $1.alertsOpened.count } }
    public var resolvedCount: Int { sites.reduce(0) { $0 + $1.alertsResolved.count } }

    /// Standing findings by severity across sites, highest first, every severity listed.
    public var verdictCounts: [(severity: Severity, count: Int)] {
        let all = sites.flatMap(\.verdicts)
        return Severity.allCases.sorted(by: >).map { severity in
            (severity, all.filter { $0.severity == severity }.count)
        }
    }
}

/// One site over the window.
public struct SiteReport: Sendable {
    public var name: String
    /// The page variants scanned in the window.
    public var pages: [PageRef]
    public var scans: Int
    public var failedScans: Int
    /// The cookies in the latest list of each page variant, at the end of the window.
    public var cookiesNow: [CookieIdentity]
    /// Every cookie seen in a successful scan in the window.
    public var cookies: [CookieReport]
    public var timeline: [TimelineEntry]
    /// Distinct cookies stored over the site's page variants at the end of each day with scans.
    public var series: [SeriesPoint]
    /// Nil when no charter was given for the site.
    public var coverage: CharterCoverage?
    public var alertsOpened: [AlertNote]
    public var alertsResolved: [AlertNote]
    /// Alerts still firing at the end of the window.
    public var alertsOpen: [AlertNote]
    /// The findings standing at the end of the window, highest severity first, with their evidence.
    public var verdicts: [Verdict] = []
    /// Findings standing at the end of each day of the window, by severity.
    public var findingSeries: [FindingPoint] = []
    /// The latest cookies against the pinned baseline; nil when the site is not pinned.
    public var baseline: BaselineComparison? = nil
}

/// One cookie (by identity) of a site over the window.
public struct CookieReport: Sendable {
    public var identity: CookieIdentity
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var pages: [PageRef]
    /// The hop URLs whose responses set it.
    public var setBy: [String]
    /// Shortest and longest observed lifetime in seconds; nil when it was always a session cookie.
    public var lifetimes: ClosedRange<Int64>?
    /// Seen at least once as a session cookie.
    public var sessionSeen: Bool
    /// The attributes of its latest sighting.
    public var attributes: CookieAttributes
    /// Successful scans of its page variants that stored it, and all successful scans of them.
    public var seenScans: Int
    public var possibleScans: Int
    /// In the latest list of one of its page variants.
    public var isCurrent: Bool
    /// Nil when no charter was given for the site.
    public var charter: CharterStatus?

    /// The share of its page variants' successful scans that stored it: below 1 reveals A/B tests
    /// and intermittent tags.
    public var share: Double { possibleScans == 0 ? 0 : Double(seenScans) / Double(possibleScans) }
}

/// What the site's charters say about a cookie.
public enum CharterStatus: Sendable, Hashable {
    case declared(DeclaredCookie)
    /// Several entries claim it: the charter must be fixed.
    case ambiguous([String])
    case undeclared
}

/// The charter entry governing a cookie and how the observed lifetime compares with it.
public struct DeclaredCookie: Sendable, Hashable {
    public var entry: String
    public var charter: String
    public var provider: String?
    public var category: String
    /// As published ("2 weeks"); nil when the charter states none.
    public var duration: String?
    /// Observed lifetime longer than declared (a persistent cookie declared as session counts).
    public var lifetimeExceeds: Bool
}

/// One drift event in the timeline.
public struct TimelineEntry: Sendable, Hashable {
    public var time: Int64
    public var page: PageRef
    public var event: DriftEvent
}

/// Cookies stored over a site's page variants at the end of a day.
public struct SeriesPoint: Sendable, Hashable {
    /// Midnight UTC of the day.
    public var day: Int64
    public var cookies: Int
}

/// An alert as the report lists it.
public struct AlertNote: Sendable, Hashable {
    public var id: String
    public var kind: String
    public var severity: String
    public var cookie: String?
    public var message: String
    /// When it fired or resolved.
    public var time: Int64
    /// The page variants where the finding holds: the alert's list, its first 100.
    public var pages: [PageRef] = []
    /// How many page variants it holds on, when more than `pages` lists (the alert's `pageCount`).
    public var pageCount: Int? = nil

    /// Every page variant it holds on, listed or not.
    public var totalPages: Int { pageCount ?? pages.count }
}

/// A finding standing at the end of the window (its alert still firing): what a privacy team acts on.
public struct Verdict: Sendable, Hashable {
    public var note: AlertNote
    /// What the scans show of its cookie: the hop that set it, its attributes and lifetime. Never a value.
    public var evidence: String?

    /// Since when it stands.
    public var since: Int64 { note.time }
    public var severity: Severity { Severity(rawValue: note.severity) ?? .info }

    /// Highest severity first, then kind, cookie and id.
    static func order(_ a: Verdict, _ b: Verdict) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        return (a.note.kind, a.note.cookie ?? "", a.note.id) < (b.note.kind, b.note.cookie ?? "", b.note.id)
    }
}

/// How many findings of each severity stood at the end of one day.
public struct FindingPoint: Sendable, Hashable {
    /// The day's start (Unix seconds, UTC).
    public var day: Int64
    public var counts: [Severity: Int]
}

/// The site's cookies against its charters.
public struct CharterCoverage: Sendable {
    /// Entry names (as written in the charter) that matched a cookie seen in the window.
    public var declaredSeen: [String]
    /// Entries that matched nothing in the window, by where a header scan can expect them.
    public var declaredNotSeen: [(observable: String, entries: [String])]
    /// Names of cookies seen that no entry declares.
    public var undeclared: [String]
    /// Ready-to-paste registry entries for the undeclared cookies, `"category": "unknown"` until
    /// someone picks one (the charter loader refuses it, so it cannot be pasted unreviewed).
    public var proposedEntries: [ProposedEntry]
}

/// A charter entry proposed for an undeclared cookie.
public struct ProposedEntry: Sendable {
    public var name: String
    /// The registry entry.
    public var entry: JSONValue

    /// The entry as pretty-printed JSON, ready to paste into a charter's `cookies` array.
    public var json: String { String(JSONWriter.pretty(entry).dropLast()) }
}
