import Audit
import Foundation
import Scanning
import Watch

/// The demo's scan passes recorded as the daemon records its scans: one history line per page variant
/// and pass, in `stateDirectory/history`, so that `report` can show their drift. The first pass is
/// pinned as the approved baseline (`baseline.json`), as a privacy team would pin a reviewed release.
enum DemoHistory {
    /// Appends `passes` (oldest first), each at its time; cookie values are kept only as fingerprints
    /// under a key that lives in memory for this run.
    static func record(_ passes: [(time: Date, report: ScanReport)], stateDirectory: String) throws(FileError) {
        var baseline: Baseline?
        let log = try HistoryLog.open(directory: stateDirectory + "/history", now: Date()).log
        var generator = SystemRandomNumberGenerator()
        let fingerprinter = ValueFingerprinter(
            key: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        var previous: [String: [HistoryCookie]] = [:]
        for (time, report) in passes {
            for site in report.sites {
                for observation in site.observations {
                    if let failure = observation.failure {
                        try log.append(.failure(site: site.name, page: observation.page, time: time, failure: failure))
                        continue
                    }
                    let key = site.name + "\u{0}" + observation.page.description
                    let cookies = HistoryCookie.list(from: observation, now: time, fingerprinter: fingerprinter)
                    var record = HistoryRecord.scan(
                        site: site.name, page: observation.page, time: time, cookies: cookies, previous: previous[key])
                    if case .cookies = record.outcome {
                        record.baselineDrift = baseline?.drift(
                            site: site.name, page: observation.page, current: cookies)
                    }
                    try log.append(record)
                    previous[key] = cookies
                }
            }
            if baseline == nil {
                var pinned = Baseline(pinnedAt: time, pinnedBy: "cookiewatch demo", sites: [:])
                for site in report.sites {
                    let pages = site.observations.filter { $0.failure == nil }.compactMap { observation in
                        previous[site.name + "\u{0}" + observation.page.description].map {
                            PinnedPage(page: observation.page, cookies: $0)
                        }
                    }
                    pinned.pin(site: site.name, pages: pages, at: time, by: "cookiewatch demo")
                }
                try BaselineFile(stateDirectory: stateDirectory).save(pinned)
                baseline = pinned
            }
        }
        try log.sync()
    }
}
