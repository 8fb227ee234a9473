import Metrics
import Testing

@Suite("Daemon metrics")
struct DaemonMetricsTests {
    func metrics() -> DaemonMetrics {
        var metrics = DaemonMetrics(version: "0.5.0", commit: "abc", startTime: 1_700_000_000)
        metrics.configure(pageVariants: ["shop": 3, "blog": 1])
        return metrics
    }

    /// The sample lines (no comments) of `text`.
    func samples(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    @Test("every family has HELP and TYPE once, before its samples, and counters end in _total")
    func families() {
        var metrics = metrics()
        metrics.recordScan(site: "shop", failureCode: nil, seconds: 0.2)
        metrics.browserRestarts = 2
        let lines = metrics.render().split(separator: "\n").map(String.init)
        var typed: [String: String] = [:]
        for line in lines where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            #expect(typed[String(parts[2])] == nil, "TYPE twice for \(parts[2])")
            typed[String(parts[2])] = String(parts[3])
        }
        for (name, type) in typed {
            #expect(name.hasPrefix("cookiewatch_"))
            if type == "counter" { #expect(name.hasSuffix("_total"), "\(name)") }
            #expect(lines.contains { $0.hasPrefix("# HELP \(name) ") })
        }
        for sample in samples(metrics.render()) {
            let name = String(sample.prefix { $0 != "{" && $0 != " " })
            let family = ["_bucket", "_sum", "_count"].reduce(name) { name, suffix in
                typed[name] == nil && name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
            }
            #expect(typed[family] != nil, "sample \(sample) has no TYPE")
        }
        #expect(typed["cookiewatch_scan_duration_seconds"] == "histogram")
        #expect(lines.contains("cookiewatch_browser_restarts_total 2"))
    }

    @Test("visits are counted per site, failures by code, durations in cumulative buckets")
    func visits() {
        var metrics = metrics()
        metrics.recordScan(site: "shop", failureCode: nil, seconds: 0.07)
        metrics.recordScan(site: "shop", failureCode: "timeout", seconds: 30)
        metrics.recordScan(site: "shop", failureCode: "timeout", seconds: 75)
        metrics.recordScan(site: "gone", failureCode: nil, seconds: 1)
        let lines = samples(metrics.render())
        #expect(lines.contains("cookiewatch_scans_total{site=\"shop\"} 3"))
        #expect(lines.contains("cookiewatch_scans_total{site=\"blog\"} 0"))
        #expect(!lines.contains { $0.contains("gone") })
        #expect(lines.contains("cookiewatch_scans_failed_total{site=\"shop\",code=\"timeout\"} 2"))
        #expect(lines.contains("cookiewatch_scan_duration_seconds_bucket{site=\"shop\",le=\"0.05\"} 0"))
        #expect(lines.contains("cookiewatch_scan_duration_seconds_bucket{site=\"shop\",le=\"0.1\"} 1"))
        #expect(lines.contains("cookiewatch_scan_duration_seconds_bucket{site=\"shop\",le=\"30\"} 2"))
        #expect(lines.contains("cookiewatch_scan_duration_seconds_bucket{site=\"shop\",le=\"60\"} 2"))
        #expect(lines.contains("cookiewatch_scan_duration_seconds_bucket{site=\"shop\",le=\"+Inf\"} 3"))
        #expect(lines.contains("cookiewatch_scan_duration_seconds_sum{site=\"shop\"} 105.07"))
        #expect(lines.contains("cookiewatch_scan_duration_seconds_count{site=\"shop\"} 3"))
    }

    @Test("a finding that goes away reads 0 instead of vanishing; unknown figures are left out")
    func standing() {
        var metrics = metrics()
        let undeclared = DaemonMetrics.FindingLabels(kind: "undeclared", severity: "high")
        let consent = DaemonMetrics.FindingLabels(kind: "set-before-consent", severity: "critical")
        var lines = samples(metrics.render())
        #expect(!lines.contains { $0.hasPrefix("cookiewatch_cookies_stored") || $0.hasPrefix("cookiewatch_alerts") })
        #expect(!lines.contains { $0.hasPrefix("cookiewatch_last_successful_round") })
        metrics.standing(site: "shop", findings: [undeclared: 2, consent: 1], alertsFiring: 1, cookiesStored: 5)
        metrics.roundCompleted(site: "shop", time: 1_700_000_100, succeeded: true)
        metrics.roundCompleted(site: "blog", time: 1_700_000_100, succeeded: false)
        lines = samples(metrics.render())
        #expect(lines.contains("cookiewatch_findings{site=\"shop\",kind=\"undeclared\",severity=\"high\"} 2"))
        #expect(lines.contains("cookiewatch_cookies_stored{site=\"shop\"} 5"))
        #expect(lines.contains("cookiewatch_alerts_firing{site=\"shop\"} 1"))
        #expect(lines.contains("cookiewatch_last_successful_round_timestamp_seconds{site=\"shop\"} 1700000100"))
        #expect(!lines.contains { $0.hasPrefix("cookiewatch_last_successful_round_timestamp_seconds{site=\"blog\"") })
        metrics.standing(site: "shop", findings: [consent: 1], alertsFiring: 0, cookiesStored: nil)
        lines = samples(metrics.render())
        #expect(lines.contains("cookiewatch_findings{site=\"shop\",kind=\"undeclared\",severity=\"high\"} 0"))
        #expect(
            lines.contains("cookiewatch_findings{site=\"shop\",kind=\"set-before-consent\",severity=\"critical\"} 1"))
        #expect(lines.contains("cookiewatch_cookies_stored{site=\"shop\"} 5"), "an unknown count keeps the last")
    }

    @Test("a reload drops removed sites and keeps the counters of kept ones")
    func reload() {
        var metrics = metrics()
        metrics.recordScan(site: "shop", failureCode: nil, seconds: 1)
        metrics.configure(pageVariants: ["shop": 4, "news": 2])
        let lines = samples(metrics.render())
        #expect(lines.contains("cookiewatch_scans_total{site=\"shop\"} 1"))
        #expect(lines.contains("cookiewatch_page_variants{site=\"shop\"} 4"))
        #expect(lines.contains("cookiewatch_page_variants{site=\"news\"} 2"))
        #expect(!lines.contains { $0.contains("site=\"blog\"") })
    }

    @Test("label values and help text are escaped as the format says")
    func escaping() {
        var out = Exposition()
        out.family("cookiewatch_x", .gauge, help: "a \\ b\nc")
        out.sample("cookiewatch_x", [("site", "a\"b\\c\nd")], 0.5)
        #expect(
            out.text
                == "# HELP cookiewatch_x a \\\\ b\\nc\n# TYPE cookiewatch_x gauge\ncookiewatch_x{site=\"a\\\"b\\\\c\\nd\"} 0.5\n"
        )
    }
}
