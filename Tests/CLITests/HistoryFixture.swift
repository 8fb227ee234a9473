import Audit
import Foundation
import Watch

/// A temporary state directory with history written by the real `HistoryLog`, and a config pointing at
/// it with one site on the seed charter: what `history verify` and `report` read.
struct HistoryFixture {
    /// One scan of `https://example.org/ [default]`: when, the cookies, and the previous scan's (nil: first).
    typealias Scan = (seconds: Int, cookies: [HistoryCookie], previous: [HistoryCookie]?)

    let directory: URL
    let config: String
    var history: String { directory.path + "/state/history" }

    init(_ scans: [Scan]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("state"), withIntermediateDirectories: true)
        let charter = CharterCommandTests.root.appendingPathComponent("charters/opendatasoft.json").path
        config = directory.appendingPathComponent("config.json").path
        try Data(
            """
            {"stateDirectory": "\(directory.path)/state",
             "sites": [{"name": "s", "charters": ["\(charter)"], "pages": [{"url": "https://example.org/"}]}]}
            """.utf8
        ).write(to: URL(fileURLWithPath: config))
        try append(scans)
    }

    /// Appends `scans` to the history, as the daemon would on its next passes.
    func append(_ scans: [Scan]) throws {
        let log = try HistoryLog.open(directory: history, now: Date()).log
        let page = PageRef(url: "https://example.org/", variant: "default")
        for scan in scans {
            try log.append(
                HistoryRecord.scan(
                    site: "s", page: page, time: Date(timeIntervalSince1970: TimeInterval(scan.seconds)),
                    cookies: scan.cookies, previous: scan.previous))
        }
        try log.sync()
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
