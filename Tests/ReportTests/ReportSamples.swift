import Audit
import Charter
import Foundation
import Report
import Watch

/// History built with the Watch types and chained the way `HistoryLog` writes it, kept as day files
/// of bytes, and fed to a `ReportBuilder` the way `cookiewatch report` reads files.
struct HistoryFixture {
    private var writer = HistoryChainWriter()
    private var previous: [PageRef: [HistoryCookie]] = [:]
    /// Day file name (`2026-11-28.jsonl`) → its bytes, `\n`-terminated lines.
    var files: [String: [UInt8]] = [:]

    mutating func scan(_ page: PageRef, at time: Int64, _ cookies: [HistoryCookie], site: String = "example") {
        let record = HistoryRecord.scan(
            site: site, page: page, time: Date(timeIntervalSince1970: TimeInterval(time)), cookies: cookies,
            previous: previous[page])
        previous[page] = cookies
        append(record)
    }

    mutating func fail(_ page: PageRef, at time: Int64, site: String = "example") {
        append(
            HistoryRecord.failure(
                site: site, page: page, time: Date(timeIntervalSince1970: TimeInterval(time)),
                failure: HistoryFailure(code: "timeout", message: "no answer in 10 s", url: page.url)))
    }

    mutating func append(_ record: HistoryRecord) {
        let next = writer.next(record)
        files[next.segment, default: []] += next.line
    }

    /// Feeds every file in name order through a `LineSplitter`, in small chunks.
    func feed(into builder: inout ReportBuilder) {
        for name in files.keys.sorted() {
            let path = "history/" + name
            builder.beginHistoryFile(day: String(name.prefix(10)), file: path)
            var splitter = LineSplitter()
            var bytes = files[name] ?? []
            while !bytes.isEmpty {
                let chunk = bytes.prefix(97)
                splitter.feed(chunk) { line, number in builder.addHistoryLine(line, file: path, line: number) }
                bytes.removeFirst(chunk.count)
            }
            if !splitter.tail.isEmpty {
                builder.addTornTail(length: splitter.tail.count, file: path, line: splitter.count + 1)
            }
        }
    }
}

enum Samples {
    /// 2026-11-26T00:00:00Z.
    static let day = Int64(1_795_651_200)
    static let hour = Int64(3_600)
    static let home = PageRef(url: "https://example.org/", variant: "no-consent")
    static let data = PageRef(url: "https://example.org/explore/", variant: "consent")

    static func cookie(_ name: String, lifetime: Int64? = 1_209_600, setBy: String = "https://example.org/")
        -> HistoryCookie
    {
        HistoryCookie(
            name: name, domain: "example.org", hostOnly: true, path: "/",
            attributes: CookieAttributes(
                secure: true, httpOnly: true, sameSite: .lax, partitioned: false, lifetime: lifetime, setBy: setBy,
                valueShape: "hex"),
            valueLength: 32, valueShape: "hex", valueFingerprint: "0123456789abcdef")
    }

    /// 2026-11-27 to 2026-11-29, both included.
    static let window = ReportWindow(since: day + 86_400, until: day + 4 * 86_400)

    /// A cookie list written the day before the window; in it, `_ga` appears then disappears, the
    /// session cookie's lifetime grows, and one scan fails.
    static func history() -> HistoryFixture {
        var history = HistoryFixture()
        let session = cookie("sessionid")
        let csrf = cookie("csrftoken", lifetime: 31_449_600)
        history.scan(home, at: day + 10 * hour, [session, csrf])
        history.scan(home, at: day + 86_400 + 10 * hour, [session, csrf])
        history.scan(data, at: day + 86_400 + 10 * hour, [csrf])
        history.scan(
            home, at: day + 2 * 86_400 + 10 * hour,
            [session, csrf, cookie("_ga", lifetime: 63_072_000, setBy: "https://example.org/redirect")])
        history.fail(data, at: day + 2 * 86_400 + 11 * hour)
        history.scan(home, at: day + 3 * 86_400 + 10 * hour, [cookie("sessionid", lifetime: 2_592_000), csrf])
        history.scan(data, at: day + 3 * 86_400 + 10 * hour, [csrf])
        return history
    }

    static func charters() throws -> CharterSet {
        CharterSet([
            Charter(
                name: "Example",
                entries: [
                    CharterEntry(
                        name: try NamePattern(parsing: "sessionid"), provider: "Example", category: .necessary,
                        duration: DeclaredDuration(parsing: "2 weeks")),
                    CharterEntry(
                        name: try NamePattern(parsing: "csrftoken"), provider: "Example", category: .necessary,
                        duration: DeclaredDuration(parsing: "1 year")),
                    CharterEntry(
                        name: try NamePattern(parsing: "cookies_preferences"), category: .necessary),
                    CharterEntry(
                        name: try NamePattern(parsing: "_BEAMER*"), provider: "Beamer", category: .preferences,
                        observable: .script),
                ])
        ])
    }

    static func report(_ history: HistoryFixture = history(), alerts: [String] = []) throws -> DriftReport {
        var builder = ReportBuilder(window: window)
        history.feed(into: &builder)
        for (index, line) in alerts.enumerated() {
            builder.addAlertLine(Array(line.utf8), file: "alerts.jsonl", line: index + 1)
        }
        return builder.report(charters: ["example": try charters()], generated: day + 5 * 86_400)
    }

    static func alert(_ event: String, id: String, at time: String, severity: String = "high") -> String {
        #"{"alert":"\#(id)","event":"\#(event)","finding":{"cookie":"_ga","id":"\#(id)","kind":"undeclared","#
            + #""message":"_ga is not in the charter","pages":[{"url":"https://example.org/","variant":"no-consent"}],"#
            + #""severity":"\#(severity)","site":"example"},"since":"\#(time)","time":"\#(time)"}"#
    }
}
