import Audit
import Charter
import Foundation
import Watch

/// Builds a `DriftReport` from history and alert lines fed one at a time, in file order.
///
/// Memory holds one tally per site, page variant and cookie, plus the drift events: it does not grow
/// with the number of lines. Bad input never stops the report; it becomes a `ReportWarning`.
public struct ReportBuilder: Sendable {
    public let window: ReportWindow
    /// Only this site's lines count, when given.
    public let site: String?
    private var sites: [String: SiteTally] = [:]
    private var alerts = AlertTally()
    private var warnings: [ReportWarning] = []
    private var lastHash: String?
    private var lastFileDay: Int64?
    private var openDay: Int64?
    private var priming = false

    public init(window: ReportWindow, site: String? = nil) {
        self.window = window
        self.site = site
    }

    /// Starts a history day file (`day` is its `YYYY-MM-DD`). Days before the window are read only for
    /// the cookie lists they hold, since later `unchanged` lines carry only a digest.
    public mutating func beginHistoryFile(day: String, file: String) {
        priming = day < window.days.lowerBound
        guard !priming, let start = ReportWindow.dayStart(day) else { return }
        if let last = lastFileDay, start > last + 86_400 {
            let missing = (start - last) / 86_400 - 1
            let first = ReportWindow.day(of: last + 86_400)
            let range = missing == 1 ? first : "\(first) to \(ReportWindow.day(of: start - 86_400))"
            warnings.append(
                ReportWarning(
                    file: file, line: nil,
                    message:
                        "no history for \(range) (\(missing) missing day\(missing == 1 ? "" : "s") before this file)"))
        }
        lastFileDay = start
    }

    /// One complete history line (without its newline) of `file`.
    public mutating func addHistoryLine(_ line: some Collection<UInt8>, file: String, line number: Int) {
        // One concrete copy: this generic entry point is not specialised for callers in other modules.
        let bytes = Array(line)
        let line = number
        let hash = HexDigest.sha256(bytes)
        defer { lastHash = hash }
        let record: HistoryRecord
        switch UnchangedLine.parse(bytes).map(Result.success) ?? HistoryRecord.parse(bytes) {
        case .success(let parsed): record = parsed
        case .failure(let problem):
            warn(file, line, "line skipped: \(problem.description)")
            return
        }
        if let lastHash, record.prev != lastHash {
            warn(
                file, line,
                "hash chain broken: prev does not match the line before (a line was removed, edited or inserted)")
        }
        guard site == nil || record.site == site else { return }
        let time = Int64(record.time.timeIntervalSince1970.rounded(.down))
        guard time < window.until else { return }
        guard !priming, time >= window.since else {
            if case .cookies(let digest, let cookies, _) = record.outcome {
                sites[record.site, default: SiteTally()].latest[record.page] = (digest, cookies)
            }
            return
        }
        let day = time - time.floorMod(86_400)
        if let openDay, openDay != day { closeDay(openDay) }
        openDay = day
        tally(record, time: time, file: file, line: line)
    }

    /// The bytes after the last newline of `file`: a write cut short, skipped.
    public mutating func addTornTail(length: Int, file: String, line: Int) {
        warnings.append(
            ReportWarning(
                file: file, line: line, message: "unterminated last line of \(length) bytes (a torn write), skipped"))
    }

    /// One line of `alerts.jsonl`.
    public mutating func addAlertLine(_ bytes: some Collection<UInt8>, file: String, line: Int) {
        switch AlertsLog.parse(Array(bytes) + [0x0A], file: file) {
        case .success(let events):
            for event in events where site == nil || event.finding.site == site { alerts.add(event, window: window) }
        case .failure(let broken):
            warnings.append(ReportWarning(file: file, line: line, message: "alert line skipped: \(broken.reason)"))
        }
    }

    /// A warning from the reader (a file that cannot be read).
    public mutating func addWarning(_ warning: ReportWarning) { warnings.append(warning) }

    /// The report, with each site held to `charters[site]` when given.
    public func report(charters: [String: CharterSet], generated: Int64) -> DriftReport {
        var builder = self
        if let openDay { builder.closeDay(openDay) }
        var names = Set(builder.sites.filter { $0.value.scans > 0 }.keys)
        for name in charters.keys where site == nil || name == site { names.insert(name) }
        let reports = names.sorted().map { name in
            builder.siteReport(name, tally: builder.sites[name] ?? SiteTally(), charters: charters[name])
        }
        return DriftReport(window: window, generated: generated, sites: reports, warnings: builder.warnings)
    }

    private mutating func tally(_ record: HistoryRecord, time: Int64, file: String, line: Int) {
        // Taken out of the dictionary so that its tables stay uniquely referenced and are not copied.
        var tally = sites.removeValue(forKey: record.site) ?? SiteTally()
        defer { sites[record.site] = tally }
        tally.scans += 1
        tally.pages.insert(record.page)
        switch record.outcome {
        case .failure:
            tally.failedScans += 1
        case .cookies(let digest, let cookies, let drift):
            tally.latest[record.page] = (digest, cookies)
            tally.timeline += drift.map { TimelineEntry(time: time, page: record.page, event: $0) }
            tally.credit(cookies, page: record.page, time: time)
        case .unchanged(let digest):
            guard let latest = tally.latest[record.page] else {
                warn(file, line, "unchanged line, but no cookie list for \(record.page) was found before it")
                return
            }
            if latest.digest != digest {
                warn(file, line, "unchanged line whose digest differs from the last cookie list of \(record.page)")
            }
            tally.credit(latest.cookies, page: record.page, time: time)
        }
    }

    private mutating func closeDay(_ day: Int64) {
        for name in sites.keys where sites[name]?.scans ?? 0 > 0 { sites[name]?.close(day: day) }
    }

    private mutating func warn(_ file: String, _ line: Int, _ message: String) {
        guard !priming else { return }
        warnings.append(ReportWarning(file: file, line: line, message: message))
    }

    private func siteReport(_ name: String, tally: SiteTally, charters: CharterSet?) -> SiteReport {
        let current = tally.current
        let cookies = tally.cookies.sorted { $0.key < $1.key }.map { identity, cookie in
            CookieReport(
                identity: identity, firstSeen: cookie.firstSeen, lastSeen: cookie.lastSeen,
                pages: cookie.pages.sorted(),
                setBy: cookie.setBy.sorted(), lifetimes: cookie.lifetimes, sessionSeen: cookie.sessionSeen,
                attributes: cookie.attributes, seenScans: cookie.seenScans,
                possibleScans: cookie.pages.reduce(0) { $0 + (tally.successfulScans[$1] ?? 0) },
                isCurrent: current.contains(identity), charter: nil)
        }
        var report = SiteReport(
            name: name, pages: tally.pages.sorted(), scans: tally.scans, failedScans: tally.failedScans,
            cookiesNow: current.sorted(), cookies: cookies, timeline: tally.timeline, series: tally.series,
            coverage: nil, alertsOpened: alerts.opened[name] ?? [], alertsResolved: alerts.resolved[name] ?? [],
            alertsOpen: alerts.stillOpen(site: name))
        if let charters { CharterReview.apply(charters, to: &report) }
        return report
    }
}

extension Int64 {
    fileprivate func floorMod(_ divisor: Int64) -> Int64 { ((self % divisor) + divisor) % divisor }
}
