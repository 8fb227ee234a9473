import Audit
import Config
import Scanning
import Scheduling

/// One page variant the daemon scans periodically: where its request comes from and its place in the
/// schedule. The request itself (headers, limits: about 1 KiB) is built when a visit starts, not kept
/// for every page variant (100 MB for a 100,000-page site).
public struct DaemonJob: Sendable {
    public var schedule: ScanSchedule.Job
    public let site: String
    public let page: PageRef
    /// The plan of every page variant, shared by all jobs, and this one's place in it.
    private let targets: ScanTargets
    private let position: Int

    /// Stable across restarts and reloads: the site, the page URL and the variant.
    public var id: String { schedule.id }

    /// Its place in the configuration's page variants: its index in `jobs(_:speedup:)` and its slot in
    /// the schedule, until the next reload.
    public var slot: Int { position }

    /// What to visit: built on each call.
    public var target: ScanTarget { targets[position] }

    /// The job id of a page variant of a site.
    public static func id(site: String, page: PageRef) -> String { "\(site) \(page)" }

    /// Every page variant of `configuration`, in configuration order. `speedup` divides every interval
    /// and jitter (tests run a day of scans in minutes); 1 in production.
    public static func jobs(_ configuration: Configuration, speedup: Int64 = 1) throws(ScanPlanError) -> [DaemonJob] {
        let targets = try ScanPlan.targets(configuration)
        let schedules = Dictionary(configuration.sites.map { ($0.name, $0.schedule) }, uniquingKeysWith: { a, _ in a })
        var hosts = PageHosts()
        return targets.indices.map { position in
            let site = targets.site(at: position)
            let page = targets.page(at: position)
            let schedule = schedules[site] ?? Schedule()
            let host = hosts.host(of: page.url) ?? page.url
            return DaemonJob(
                schedule: ScanSchedule.Job(
                    id: id(site: site, page: page), host: host,
                    interval: seconds(schedule.interval) / max(1, speedup),
                    jitter: seconds(schedule.jitter) / max(1, speedup)),
                site: site, page: page, targets: targets, position: position)
        }
    }

    static func seconds(_ duration: Duration) -> Int64 { duration.components.seconds }
}
