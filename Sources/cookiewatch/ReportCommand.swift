import ArgumentParser
import Charter
import Config
import Foundation
import Report
import Watch

/// `cookiewatch report`: the drift report of the daemon's history and alerts over a window.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report what the sites set, how it drifted and how it compares with the charters.",
        discussion: """
            Streams stateDirectory/history/*.jsonl (day files up to --until; days before --since only for the \
            cookie lists that later 'unchanged' lines refer to) and alerts.jsonl. Input that cannot be used \
            becomes a warning in the report, naming the file and line. With stateDirectory/baseline.json \
            (`baseline pin`), each pinned site also shows what changed since the pin. Exits 2 for usage or \
            configuration errors and for a baseline file that cannot be read.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html
        case md
        case json
        /// Two files in the --output directory: cookies.csv and findings.csv.
        case csv
    }

    @Option(name: .long, help: "The configuration file.")
    var config: String

    @Option(name: .long, help: "Start of the window: a number of days before --until (30d) or YYYY-MM-DD.")
    var since: String?

    @Option(name: .long, help: "Last day of the window, included (YYYY-MM-DD); default now.")
    var until: String?

    @Option(name: .long, help: "Only this site.")
    var site: String?

    @Option(name: .long, help: "html, md, json, or csv (cookies.csv and findings.csv in the --output directory).")
    var format: Format = .html

    @Option(name: .long, help: "Write the report to this file instead of stdout (with csv: a directory).")
    var output: String?

    func run() async throws {
        let configuration = try loadConfiguration(config)
        let now = Int64(Date().timeIntervalSince1970.rounded(.down))
        let window: ReportWindow
        switch ReportWindow.parse(since: since, until: until, now: now) {
        case .success(let parsed): window = parsed
        case .failure(let error): throw CommandFailure.usage(error.description)
        }
        if let site, !configuration.sites.contains(where: { $0.name == site }) {
            throw CommandFailure.usage(
                "--site \(site): no such site in \(config) (sites: \(configuration.sites.map(\.name).joined(separator: ", ")))"
            )
        }
        try Self.write(configuration, window: window, site: site, format: format, output: output, now: now)
    }

    /// Reads the history and alerts of `configuration` over `window` and writes the report to `output`
    /// (stdout when nil), streamed one site at a time.
    static func write(
        _ configuration: Configuration, window: ReportWindow, site: String?, format: Format, output: String?,
        now: Int64
    ) throws {
        var builder = ReportBuilder(window: window, site: site)
        readHistory(configuration.directories.state + "/history", window: window, into: &builder)
        if FileManager.default.fileExists(atPath: configuration.alerts.alertsLog) {
            let path = configuration.alerts.alertsLog
            stream(path, into: &builder) { builder, line, number in
                builder.addAlertLine(line, file: path, line: number)
            }
        }
        let baseline: Baseline?
        do {
            baseline = try BaselineFile(stateDirectory: configuration.directories.state).load()
        } catch {
            throw CommandFailure.usage(error.description)
        }
        let charters = Dictionary(configuration.sites.map { ($0.name, $0.charters) }, uniquingKeysWith: { a, _ in a })
        let report = builder.report(charters: charters, generated: now, baseline: baseline)
        if format == .csv {
            guard let output else {
                throw CommandFailure.usage("--format csv writes two files: give --output DIRECTORY")
            }
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure.usage(
                    "--output \(output): cannot create the directory: \(error.localizedDescription)")
            }
            for (name, text) in [
                ("cookies.csv", CSVRenderer.cookies(report)), ("findings.csv", CSVRenderer.findings(report)),
            ] {
                let destination = try ReportDestination(path: output + "/" + name)
                destination.write(Array(text.utf8))
                try destination.finish()
            }
            return
        }
        let destination = try ReportDestination(path: output)
        var text = ReportStream { destination.write($0) }
        switch format {
        case .html: HTMLRenderer.render(report, to: &text)
        case .md: MarkdownRenderer.render(report, to: &text)
        case .json: JSONReportRenderer.render(report, to: &text)
        case .csv: break
        }
        text.finish()
        try destination.finish()
    }

    /// Feeds the day files up to the window's last day, oldest first; a missing directory is an empty history.
    static func readHistory(_ directory: String, window: ReportWindow, into builder: inout ReportBuilder) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { name in
                name.hasSuffix(".jsonl") && name.utf8.count == 16
                    && ReportWindow.dayStart(String(name.prefix(10))) != nil
            }
            .sorted()
        for name in names {
            let day = String(name.prefix(10))
            guard day <= window.days.upperBound else { break }
            let path = directory + "/" + name
            builder.beginHistoryFile(day: day, file: path)
            stream(path, into: &builder) { builder, line, number in
                builder.addHistoryLine(line, file: path, line: number)
            }
        }
    }

    /// Reads `path` in 256 KiB chunks, line by line; a torn last line and read errors become warnings.
    static func stream(
        _ path: String, into builder: inout ReportBuilder,
        _ body: (inout ReportBuilder, ArraySlice<UInt8>, Int) -> Void
    ) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            builder.addWarning(
                ReportWarning(file: path, line: nil, message: "cannot open: \(String(cString: strerror(errno)))"))
            return
        }
        defer { close(fd) }
        var splitter = LineSplitter()
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                builder.addWarning(
                    ReportWarning(
                        file: path, line: splitter.count + 1,
                        message: "cannot read: \(String(cString: strerror(errno))); the rest of the file is skipped"))
                return
            }
            if count == 0 { break }
            splitter.feed(chunk[..<count]) { line, number in body(&builder, line, number) }
        }
        if !splitter.tail.isEmpty {
            builder.addTornTail(length: splitter.tail.count, file: path, line: splitter.count + 1)
        }
    }
}
