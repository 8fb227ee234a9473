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
    var sites: [SiteTally] = []
    var siteNames: [String] = []
    var siteIndex: [String: Int] = [:]
    var pages: [PageSlot] = []
    private var pageIndex: [SitePage: Int] = [:]
    /// Page slots by `PageSlot.keyHash` of their bytes; the first slot of a hash only (a collision
    /// falls back to `pageIndex`).
    private var pagesByHash: [Int: Int] = [:]
    var alerts = AlertTally()
    var warnings: [ReportWarning] = []
    /// The line before, kept so that its SHA-256 is computed only when a line of the window checks it.
    private var previousLine: [UInt8] = []
    private var hasPreviousLine = false
    private var lastFileDay: Int64?
    var openDay: Int64?
    private var priming = false

    private struct SitePage: Hashable {
        var site: String
        var page: PageRef
    }

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
        addHistoryLine(ArraySlice(line), file: file, line: number)
    }

    /// One complete history line (without its newline) of `file`, as `LineSplitter` hands it out.
    public mutating func addHistoryLine(_ line: ArraySlice<UInt8>, file: String, line number: Int) {
        line.withUnsafeBufferPointer { add($0, file: file, line: number) }
    }

    private mutating func add(_ line: UnsafeBufferPointer<UInt8>, file: String, line number: Int) {
        defer {
            previousLine.removeAll(keepingCapacity: true)
            previousLine.append(contentsOf: line)
            hasPreviousLine = true
        }
        // 99 % of a long history: read in place, looked up by bytes, no string built.
        if let fields = UnchangedLine.scan(line) {
            // Before the window an unchanged line holds nothing the report needs.
            guard !priming else { return }
            checkChain(fields.prev, file: file, line: number)
            if let slot = slot(line, fields) {
                unchanged(
                    slot, digest: UnsafeBufferPointer(rebasing: line[fields.digest]), time: fields.time,
                    file: file, line: number)
                return
            }
        }
        let record: HistoryRecord
        switch HistoryRecord.parse(UnsafeRawBufferPointer(line)) {
        case .success(let parsed): record = parsed
        case .failure(let problem):
            warn(file, number, "line skipped: \(problem.description)")
            return
        }
        if !priming {
            let prev = Array(record.prev.utf8).withUnsafeBytes { LineDigest(hex: $0) }
            checkChain(prev, file: file, line: number)
        }
        add(record, file: file, line: number)
    }

    /// Warns when `prev` (nil: not a SHA-256 in hex) is not the digest of the line before.
    private mutating func checkChain(_ prev: LineDigest?, file: String, line: Int) {
        guard hasPreviousLine else { return }
        let digest = previousLine.withUnsafeBytes { LineDigest(hashing: $0) }
        if prev != digest {
            warn(
                file, line,
                "hash chain broken: prev does not match the line before (a line was removed, edited or inserted)")
        }
    }

    /// The page slot of an unchanged line, found by its bytes; nil when its names are not UTF-8.
    private mutating func slot(_ line: UnsafeBufferPointer<UInt8>, _ fields: UnchangedLine) -> Int? {
        let site = UnsafeBufferPointer(rebasing: line[fields.site])
        let url = UnsafeBufferPointer(rebasing: line[fields.page])
        let variant = UnsafeBufferPointer(rebasing: line[fields.variant])
        if let index = pagesByHash[PageSlot.keyHash(site, url, variant)], pages[index].matches(site, url, variant) {
            return index
        }
        guard let name = UnchangedLine.text(line, fields.site), let address = UnchangedLine.text(line, fields.page),
            let variantName = UnchangedLine.text(line, fields.variant)
        else { return nil }
        return slot(site: name, page: PageRef(url: address, variant: variantName))
    }

    /// The page slot of a site's page variant, created on first use.
    private mutating func slot(site name: String, page: PageRef) -> Int {
        let key = SitePage(site: name, page: page)
        if let index = pageIndex[key] { return index }
        let site: Int
        if let known = siteIndex[name] {
            site = known
        } else {
            site = sites.count
            sites.append(SiteTally())
            siteNames.append(name)
            siteIndex[name] = site
        }
        let index = pages.count
        pages.append(PageSlot(site: site, siteName: name, page: page, included: self.site == nil || self.site == name))
        sites[site].pages.append(index)
        pageIndex[key] = index
        let hash = Array(name.utf8).withUnsafeBufferPointer { site in
            Array(page.url.utf8).withUnsafeBufferPointer { url in
                Array(page.variant.utf8).withUnsafeBufferPointer { PageSlot.keyHash(site, url, $0) }
            }
        }
        if pagesByHash[hash] == nil { pagesByHash[hash] = index }
        return index
    }

    /// A record read by `HistoryRecord.parse`: a cookie list, a failure, or an unusual unchanged line.
    private mutating func add(_ record: HistoryRecord, file: String, line: Int) {
        guard site == nil || record.site == site else { return }
        let slot = slot(site: record.site, page: record.page)
        let time = Int64(record.time.timeIntervalSince1970.rounded(.down))
        guard time < window.until else { return }
        guard !priming, time >= window.since else {
            if case .cookies(let digest, let cookies, _) = record.outcome {
                pages[slot].latest = PageList(digest: digest, cookies: cookies)
            }
            return
        }
        switch record.outcome {
        case .failure:
            count(slot, time: time)
            sites[pages[slot].site].failedScans += 1
        case .cookies(let digest, let cookies, let drift):
            count(slot, time: time)
            sites[pages[slot].site].timeline += drift.map { TimelineEntry(time: time, page: record.page, event: $0) }
            var list = PageList(digest: digest, cookies: cookies)
            credit(&list, slot: slot, time: time)
            pages[slot].latest = list
        case .unchanged(let digest):
            Array(digest.utf8).withUnsafeBufferPointer {
                unchanged(slot, digest: $0, time: time, file: file, line: line)
            }
        }
    }

    /// An unchanged scan of page slot `slot`: its latest list is credited again.
    private mutating func unchanged(
        _ slot: Int, digest: UnsafeBufferPointer<UInt8>, time: Int64, file: String, line: Int
    ) {
        guard pages[slot].included, time < window.until, time >= window.since else { return }
        count(slot, time: time)
        guard var list = pages[slot].latest else {
            // One warning per page variant: after retention removed its list, every line would repeat it.
            if pages[slot].missingList == nil {
                pages[slot].missingList = MissingList(warning: warnings.count)
                warn(file, line, "unchanged line, but no cookie list for \(pages[slot].page) was found before it")
            } else {
                pages[slot].missingList?.repeated(file: file, line: line)
            }
            return
        }
        // Taken out so that the list stays uniquely referenced while its tallies are updated.
        pages[slot].latest = nil
        if !list.hasDigest(digest) {
            warn(file, line, "unchanged line whose digest differs from the last cookie list of \(pages[slot].page)")
        }
        credit(&list, slot: slot, time: time)
        pages[slot].latest = list
    }

    /// Counts a scan in the window, closing the day before when this one starts a new day.
    private mutating func count(_ slot: Int, time: Int64) {
        let day = time - time.floorMod(86_400)
        if let openDay, openDay != day { closeDay(openDay) }
        openDay = day
        sites[pages[slot].site].scans += 1
        pages[slot].scanned = true
    }

    private mutating func credit(_ list: inout PageList, slot: Int, time: Int64) {
        pages[slot].successfulScans += 1
        sites[pages[slot].site].credit(&list, page: slot, time: time)
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

    private mutating func warn(_ file: String, _ line: Int, _ message: String) {
        guard !priming else { return }
        warnings.append(ReportWarning(file: file, line: line, message: message))
    }
}

extension Int64 {
    fileprivate func floorMod(_ divisor: Int64) -> Int64 { ((self % divisor) + divisor) % divisor }
}
