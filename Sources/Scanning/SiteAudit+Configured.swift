import Audit
import Config
import CookieModel
import Knowledge

extension SiteAudit {
    /// The audit of a configured site as `scan` and the daemon's rounds run it: its charters and
    /// policy, its pages' registrable domains as first party, the Open Cookie Database as knowledge.
    public init(configured site: Site) {
        self.init(
            site: site.name, charters: site.charters, policy: site.policy,
            pageHosts: site.pages.lazy.compactMap { try? CookieURL(parsing: $0.url).host })
        knowledge = .openCookieDatabase
    }
}
