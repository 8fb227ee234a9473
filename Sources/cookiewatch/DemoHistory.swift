import Audit
import Config
import Foundation
import Scanning
import Watch

/// The demo's scan passes recorded as the daemon records its scans: one history line per page variant
/// and pass, in `stateDirectory/history`, so that `report` can show their drift. The first pass is
/// pinned as the approved baseline (`baseline.json`), as a privacy team would pin a reviewed release.
enum DemoHistory {
    /// One scan pass's observations, as the scanner hands them over, and the time it is recorded at.
    struct Pass {
        var time: Date
        private var observed: [(index: Int, site: String, observation: PageObservation)] = []
        /// The pass's findings, once scanned: its alerts go to `alerts.jsonl` as the daemon's would.
        var report: ScanReport?

        init(time: Date) { self.time = time }

        mutating func add(_ index: Int, _ site: String, _ observation: PageObservation) {
            observed.append((index, site, observation))
        }

        /// By site, in configuration order.
        var sites: [(name: String, observations: [PageObservation])] {
            var sites: [(name: String, observations: [PageObservation])] = []
            for entry in observed.sorted(by: { $0.index < $1.index }) {
                if sites.last?.name == entry.site {
                    sites[sites.count - 1].observations.append(entry.observation)
                } else {
                    sites.append((entry.site, [entry.observation]))
                }
            }
            return sites
        }
    }

    /// Appends `passes` (oldest first), each at its time; cookie values are kept only as fingerprints
    /// under a key that lives in memory for this run.
    static func record(_ passes: [Pass], stateDirectory: String) throws(FileError) {
        try recordHistory(passes, stateDirectory: stateDirectory)
    }

    /// Each pass's findings through the daemon's alert lifecycle (one pass is one round of each site),
    /// the events appended to `alertsLog`: the report's verdicts come from there.
    static func recordAlerts(_ passes: [Pass], configuration: Configuration) throws(FileError) {
        var lifecycle = AlertLifecycle()
        let log = try AlertsLog(path: configuration.alerts.alertsLog)
        for pass in passes {
            guard let report = pass.report else { continue }
            for site in report.sites {
                guard let policy = configuration.sites.first(where: { $0.name == site.name })?.policy else { continue }
                let events = lifecycle.observe(
                    AlertLifecycle.SitePass(
                        site: site.name, time: pass.time, findings: site.audit.findings.map(AlertFinding.init),
                        failedPages: Set(site.failures.map(\.page))),
                    policy: AlertPolicy(policy, repeatInterval: configuration.alerts.repeatInterval))
                try log.deliver(events)
            }
        }
    }

    private static func recordHistory(_ passes: [Pass], stateDirectory: String) throws(FileError) {
        var baseline: Baseline?
        let log = try HistoryLog.open(directory: stateDirectory + "/history", now: Date()).log
        var generator = SystemRandomNumberGenerator()
        let fingerprinter = ValueFingerprinter(
            key: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        var previous: [String: [HistoryCookie]] = [:]
        for pass in passes {
            let time = pass.time
            for site in pass.sites {
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
                for site in pass.sites {
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
