import Audit
import Foundation
import Watch

/// Writes a synthetic history: `sites` sites of three page variants each, scanned every `interval`
/// seconds for `days` days, in day files chained as `HistoryLog` writes them. About one page variant
/// in twenty changes each day (a cookie appears, disappears or changes lifetime); one scan in 200 fails.
/// The first pass lists every page variant's cookies in full, as the daemon does.
struct HistoryGenerator {
    var sites = 100
    var days = 365
    var interval: Int64 = 9_600
    var start: Int64

    /// Returns the number of lines written.
    func write(to directory: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var writer = HistoryChainWriter()
        var lists: [[HistoryCookie]] = []
        var pages: [(site: String, page: PageRef)] = []
        for site in 0..<sites {
            for (path, variant) in [("/", "no-consent"), ("/", "consent"), ("/explore/", "no-consent")] {
                pages.append(("site-\(site)", PageRef(url: "https://site\(site).example/\(path)", variant: variant)))
                lists.append([Self.cookie("sessionid", site: site), Self.cookie("csrftoken", site: site)])
            }
        }
        var digests = lists.map(HistoryRecord.digest(of:))
        var listed = [Bool](repeating: false, count: lists.count)
        var generator = SplitMix(seed: 42)
        var lines = 0
        var segment: (name: String, handle: FileHandle)?
        var buffer: [UInt8] = []
        func flush() {
            segment?.handle.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
        var time = start
        let end = start + Int64(days) * 86_400
        while time < end {
            for (index, target) in pages.enumerated() {
                let now = Date(timeIntervalSince1970: TimeInterval(time + Int64(index)))
                let record: HistoryRecord
                if generator.next() % 200 == 0 {
                    record = .failure(
                        site: target.site, page: target.page, time: now,
                        failure: HistoryFailure(code: "timeout", message: "no answer in 10 s", url: target.page.url))
                } else if !listed[index] {
                    // The first successful scan of a page variant lists its cookies, as the daemon writes it.
                    record = .scan(
                        site: target.site, page: target.page, time: now, cookies: lists[index], previous: nil)
                    listed[index] = true
                } else if generator.next() % 180 == 0 {
                    let previous = lists[index]
                    lists[index] = Self.drift(previous, site: index / 3, roll: generator.next())
                    record = .scan(
                        site: target.site, page: target.page, time: now, cookies: lists[index], previous: previous)
                    digests[index] = HistoryRecord.digest(of: lists[index])
                } else {
                    record = HistoryRecord(
                        time: now, site: target.site, page: target.page, outcome: .unchanged(digest: digests[index]))
                }
                let next = writer.next(record)
                if next.segment != segment?.name {
                    flush()
                    try segment?.handle.close()
                    let path = directory + "/" + next.segment
                    guard FileManager.default.createFile(atPath: path, contents: nil) else {
                        throw BenchError("cannot create \(path)")
                    }
                    segment = (next.segment, try FileHandle(forWritingTo: URL(fileURLWithPath: path)))
                }
                buffer += next.line
                if buffer.count > 1 << 20 { flush() }
                lines += 1
            }
            time += interval
        }
        flush()
        try segment?.handle.close()
        return lines
    }

    static func cookie(_ name: String, site: Int, lifetime: Int64? = 1_209_600) -> HistoryCookie {
        HistoryCookie(
            name: name, domain: "site\(site).example", hostOnly: true, path: "/",
            attributes: CookieAttributes(
                secure: true, httpOnly: true, sameSite: .lax, partitioned: false, lifetime: lifetime,
                setBy: "https://site\(site).example/", valueShape: "hex"),
            valueLength: 32, valueShape: "hex", valueFingerprint: "0123456789abcdef")
    }

    /// A tracker appears or goes, or the session cookie's lifetime changes.
    static func drift(_ list: [HistoryCookie], site: Int, roll: UInt64) -> [HistoryCookie] {
        if let index = list.firstIndex(where: { $0.name == "_ga" }) {
            var next = list
            next.remove(at: index)
            return next
        }
        if roll % 2 == 0 { return list + [cookie("_ga", site: site, lifetime: 33_696_000)] }
        return list.map {
            $0.name == "sessionid"
                ? cookie("sessionid", site: site, lifetime: roll % 4 == 1 ? 2_592_000 : 1_209_600) : $0
        }
    }
}

/// A small deterministic generator, so that two runs write the same history.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
