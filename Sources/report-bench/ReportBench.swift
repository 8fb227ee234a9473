import Foundation

/// `swift run -c release report-bench [DAYS] [SITES]`: writes DAYS days of history for SITES sites
/// (default a year for 100 sites, about 1,000,000 lines) into a temporary state directory, then times
/// `cookiewatch report` over it next to `jq -c .` reading the same files, with each one's peak RSS.
@main
enum ReportBench {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
        let days = arguments.first ?? 365
        let sites = arguments.dropFirst().first ?? 100
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let cookiewatch = binaries.appendingPathComponent("cookiewatch").path
        guard FileManager.default.isExecutableFile(atPath: cookiewatch) else {
            throw BenchError("\(cookiewatch) not found: build it first (swift build -c release --product cookiewatch)")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let charter = root.appendingPathComponent("charters/opendatasoft.json").path
        // REPORT_BENCH_DIR keeps the history for profiling and reuses it on the next run.
        let kept = ProcessInfo.processInfo.environment["REPORT_BENCH_DIR"]
        let directory =
            kept ?? FileManager.default.temporaryDirectory.appendingPathComponent("report-bench-\(getpid())").path
        defer { if kept == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let history = directory + "/state/history"

        // 2025-12-01T00:00:00Z onwards.
        let generator = HistoryGenerator(sites: sites, days: days, start: 1_764_547_200)
        let started = ContinuousClock.now
        let reused = kept != nil && FileManager.default.fileExists(atPath: history)
        let lines = reused ? try Self.countLines(history) : try generator.write(to: history)
        let files = try FileManager.default.contentsOfDirectory(atPath: history).sorted().map { history + "/" + $0 }
        let bytes = try files.reduce(0) {
            $0 + ((try FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0)
        }
        print(
            "generated \(lines) lines, \(files.count) day files, \(bytes / 1_048_576) MiB in \(ContinuousClock.now - started)"
        )

        let config = directory + "/config.json"
        let siteList = (0..<sites).map { site in
            #"{"name": "site-\#(site)", "charters": ["\#(charter)"], "pages": [{"url": "https://site\#(site).example/"}]}"#
        }
        try Data(#"{"stateDirectory": "\#(directory)/state", "sites": [\#(siteList.joined(separator: ","))]}"#.utf8)
            .write(to: URL(fileURLWithPath: config))

        let window = ["--since", "2025-12-01", "--until", "2026-11-30"]
        for format in ["json", "html"] {
            let output = directory + "/report." + format
            let run = try ChildRun.run(
                [cookiewatch, "report", "--config", config, "--format", format, "--output", output] + window)
            guard run.status == 0 else { throw BenchError("cookiewatch report exited \(run.status)") }
            report("cookiewatch report --format \(format)", run, lines: lines)
        }
        // The same files for the last 30 days: every line is still read (earlier days for their cookie
        // lists), but only the window's drift is kept, so the difference in peak RSS is the drift.
        let recent = try ChildRun.run(
            [cookiewatch, "report", "--config", config, "--format", "json", "--output", directory + "/recent.json"]
                + ["--since", "2026-11-01", "--until", "2026-11-30"])
        guard recent.status == 0 else { throw BenchError("cookiewatch report exited \(recent.status)") }
        report("cookiewatch report --format json, last 30 days", recent, lines: lines)
        let jq = try ChildRun.run(["jq", "-c", "."] + files)
        guard jq.status == 0 else { throw BenchError("jq exited \(jq.status)") }
        report("jq -c . FILES > /dev/null", jq, lines: lines)
    }

    /// The lines of a kept history, counted rather than generated again.
    static func countLines(_ history: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: history).reduce(0) { total, name in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: history + "/" + name))
            return total + bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
    }

    static func report(_ what: String, _ run: ChildRun, lines: Int) {
        let rate = Double(lines) / run.seconds
        print(
            "\(what): \(String(format: "%.2f", run.seconds)) s, \(Int(rate)) lines/s, peak RSS \(run.peakKiB / 1024) MiB"
        )
    }
}
