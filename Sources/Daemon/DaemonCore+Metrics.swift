import Metrics
import Watch

extension DaemonCore {
    /// What stands for one site now, from the saved state (so it holds across restarts): findings
    /// present in its last round (pending alerts, and firing ones not absent since), alerts firing,
    /// and the distinct cookies its page variants stored at their last successful visits.
    public func standing(site: String) -> (
        findings: [DaemonMetrics.FindingLabels: Int], alertsFiring: Int, cookiesStored: Int?
    ) {
        var findings: [DaemonMetrics.FindingLabels: Int] = [:]
        var firing = 0
        for alert in alerts.alerts.values where alert.finding.site == site {
            let present: Bool
            switch alert.stage {
            case .pending: present = true
            case .firing(_, _, let absentPasses):
                firing += 1
                present = absentPasses == 0
            }
            if present {
                findings[.init(kind: alert.finding.kind, severity: alert.finding.severity), default: 0] += 1
            }
        }
        var cookies = Set<CookieIdentity>()
        var known = false
        for id in siteJobs[site] ?? [] {
            guard let stored = pages[id]?.lastCookies else { continue }
            known = true
            for cookie in stored { cookies.insert(cookie.identity) }
        }
        return (findings, firing, known ? cookies.count : nil)
    }

    /// Page variants per configured site.
    public var pageVariantCounts: [String: Int] { siteJobs.mapValues(\.count) }
}
