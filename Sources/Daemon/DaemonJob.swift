import Audit
import Config
import CookieModel
import Scanning
import Scheduling

/// One page variant the daemon scans periodically: its request and its place in the schedule.
public struct DaemonJob: Sendable {
    public var target: ScanTarget
    public var schedule: ScanSchedule.Job

    /// Stable across restarts and reloads: the site, the page URL and the variant.
    public var id: String { schedule.id }
    public var site: String { target.site }
    public var page: PageRef { PageRef(url: target.page.url, variant: target.variant.name) }

    /// The job id of a page variant of a site.
    public static func id(site: String, page: PageRef) -> String { "\(site) \(page)" }

    /// Every page variant of `configuration`, in configuration order. `speedup` divides every interval
    /// and jitter (tests run a day of scans in minutes); 1 in production.
    public static func jobs(_ configuration: Configuration, speedup: Int64 = 1) throws(ScanPlanError) -> [DaemonJob] {
        let targets = try ScanPlan.targets(configuration)
        let schedules = Dictionary(configuration.sites.map { ($0.name, $0.schedule) }, uniquingKeysWith: { a, _ in a })
        return targets.map { target in
            let schedule = schedules[target.site] ?? Schedule()
            let page = PageRef(url: target.page.url, variant: target.variant.name)
            let host = (try? CookieURL(parsing: target.page.url))?.host ?? target.page.url
            return DaemonJob(
                target: target,
                schedule: ScanSchedule.Job(
                    id: id(site: target.site, page: page), host: host,
                    interval: seconds(schedule.interval) / max(1, speedup),
                    jitter: seconds(schedule.jitter) / max(1, speedup)))
        }
    }

    static func seconds(_ duration: Duration) -> Int64 { duration.components.seconds }
}
