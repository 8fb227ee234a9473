/// What `cookiewatch run` tells Prometheus, as a value: the daemon's loop updates it as visits,
/// rounds and flushes happen; a scrape renders it. Labels are bounded: the configured site names, the
/// finding kinds and severities, and the failure codes the daemon knows (others are `other`). No URL,
/// no cookie name, no value.
public struct DaemonMetrics: Sendable {
    /// The labels of a findings count.
    public struct FindingLabels: Sendable, Hashable, Comparable {
        public var kind: String
        public var severity: String

        public init(kind: String, severity: String) {
            self.kind = kind
            self.severity = severity
        }

        public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.kind, lhs.severity) < (rhs.kind, rhs.severity) }
    }

    /// One configured site.
    public struct Site: Sendable {
        public var pageVariants = 0
        /// Distinct cookies (name, domain, path) its page variants stored at their last successful visits;
        /// nil until one is known.
        public var cookiesStored: Int?
        /// Findings standing after its last round; a label set once seen stays, at 0, so that a fixed
        /// finding reads 0 rather than vanishing.
        public var findings: [FindingLabels: Int] = [:]
        /// Nil until the open alerts are known (at start, from the saved state).
        public var alertsFiring: Int?
        public var scans = 0
        public var failedScans: [String: Int] = [:]
        public var duration = Histogram(bounds: DaemonMetrics.durationBounds)
        /// Unix seconds of the last round in which every page variant was visited without failure.
        public var lastSuccessfulRound: Double?
    }

    /// Visit durations: from a fast header-only page to a browser visit near its time limit.
    public static let durationBounds: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    public let version: String
    public let commit: String
    /// Unix seconds the process started.
    public let startTime: Double
    public private(set) var sites: [String: Site] = [:]
    public var historyBytes = 0
    public var historyLines = 0
    public var webhookPending = 0
    /// Nil when the configuration has no browser variant.
    public var browserRestarts: Int?

    public init(version: String, commit: String, startTime: Double) {
        self.version = version
        self.commit = commit
        self.startTime = startTime
    }

    /// Takes the configured sites and their page-variant counts: sites gone from the configuration
    /// are dropped, new ones start empty, kept ones keep their counters.
    public mutating func configure(pageVariants: [String: Int]) {
        sites = sites.filter { pageVariants[$0.key] != nil }
        for (site, count) in pageVariants { sites[site, default: Site()].pageVariants = count }
    }

    /// A finished visit of `site`: its failure code when it failed, and how long it took.
    public mutating func recordScan(site: String, failureCode: String?, seconds: Double) {
        guard sites[site] != nil else { return }
        sites[site]?.scans += 1
        if let failureCode { sites[site]?.failedScans[failureCode, default: 0] += 1 }
        sites[site]?.duration.observe(seconds)
    }

    /// What stands for `site` now: its findings by kind and severity, the alerts firing, the cookies
    /// stored (nil: unknown).
    public mutating func standing(
        site: String, findings: [FindingLabels: Int], alertsFiring: Int, cookiesStored: Int?
    ) {
        guard var figures = sites[site] else { return }
        for key in figures.findings.keys { figures.findings[key] = 0 }
        for (key, count) in findings { figures.findings[key] = count }
        figures.alertsFiring = alertsFiring
        if let cookiesStored { figures.cookiesStored = cookiesStored }
        sites[site] = figures
    }

    /// A round of `site` completed at `time` (Unix seconds); `succeeded` when no page variant failed.
    public mutating func roundCompleted(site: String, time: Double, succeeded: Bool) {
        guard succeeded, sites[site] != nil else { return }
        sites[site]?.lastSuccessfulRound = time
    }

    /// The exposition document.
    public func render() -> String {
        var out = Exposition()
        out.family("cookiewatch_build_info", .gauge, help: "The running cookiewatch's version and commit; always 1.")
        out.sample("cookiewatch_build_info", [("version", version), ("commit", commit)], 1)
        out.family("cookiewatch_start_time_seconds", .gauge, help: "When the daemon started, in Unix seconds.")
        out.sample("cookiewatch_start_time_seconds", [], startTime)
        let sorted = sites.sorted { $0.key < $1.key }
        func perSite(
            _ name: String, _ kind: Exposition.Kind, _ help: String, _ value: (Site) -> Double?
        ) {
            out.family(name, kind, help: help)
            for (site, figures) in sorted {
                if let number = value(figures) { out.sample(name, [("site", site)], number) }
            }
        }
        perSite("cookiewatch_page_variants", .gauge, "Page variants configured for the site.") {
            Double($0.pageVariants)
        }
        perSite(
            "cookiewatch_cookies_stored", .gauge,
            "Distinct cookies (name, domain, path) the site's page variants stored at their last successful visits."
        ) { $0.cookiesStored.map(Double.init) }
        out.family(
            "cookiewatch_findings", .gauge,
            help: "Findings standing after the site's last round, by kind and severity (docs/findings.md).")
        for (site, figures) in sorted {
            for (labels, count) in figures.findings.sorted(by: { $0.key < $1.key }) {
                out.sample(
                    "cookiewatch_findings", [("site", site), ("kind", labels.kind), ("severity", labels.severity)],
                    Double(count))
            }
        }
        perSite("cookiewatch_alerts_firing", .gauge, "Alerts of the site firing now.") {
            $0.alertsFiring.map(Double.init)
        }
        perSite("cookiewatch_scans_total", .counter, "Page-variant visits finished since the daemon started.") {
            Double($0.scans)
        }
        out.family(
            "cookiewatch_scans_failed_total", .counter,
            help: "Page-variant visits that failed since the daemon started, by failure code.")
        for (site, figures) in sorted {
            for (code, count) in figures.failedScans.sorted(by: { $0.key < $1.key }) {
                out.sample("cookiewatch_scans_failed_total", [("site", site), ("code", code)], Double(count))
            }
        }
        out.family(
            "cookiewatch_scan_duration_seconds", .histogram,
            help: "How long each page-variant visit took, login and browser included.")
        for (site, figures) in sorted {
            let histogram = figures.duration
            for bucket in histogram.buckets {
                out.sample(
                    "cookiewatch_scan_duration_seconds_bucket",
                    [("site", site), ("le", Exposition.number(bucket.upperBound))], Double(bucket.count))
            }
            out.sample("cookiewatch_scan_duration_seconds_sum", [("site", site)], histogram.sum)
            out.sample("cookiewatch_scan_duration_seconds_count", [("site", site)], Double(histogram.count))
        }
        perSite(
            "cookiewatch_last_successful_round_timestamp_seconds", .gauge,
            "When the site last completed a round with every page variant visited without failure, in Unix seconds."
        ) { $0.lastSuccessfulRound }
        out.family("cookiewatch_history_written_bytes_total", .counter, help: "Bytes appended to the history log.")
        out.sample("cookiewatch_history_written_bytes_total", [], Double(historyBytes))
        out.family("cookiewatch_history_lines_written_total", .counter, help: "Lines appended to the history log.")
        out.sample("cookiewatch_history_lines_written_total", [], Double(historyLines))
        out.family(
            "cookiewatch_webhook_pending_events", .gauge, help: "Alert events the webhook has not accepted yet.")
        out.sample("cookiewatch_webhook_pending_events", [], Double(webhookPending))
        if let browserRestarts {
            out.family(
                "cookiewatch_browser_restarts_total", .counter,
                help: "Chromium processes replaced because they crashed, hung or grew past their memory limit.")
            out.sample("cookiewatch_browser_restarts_total", [], Double(browserRestarts))
        }
        return out.text
    }
}
