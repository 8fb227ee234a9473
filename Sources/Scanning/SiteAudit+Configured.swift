import Audit
import Config
import CookieModel
import Knowledge

extension SiteAudit {
    /// The audit of a configured site as `scan` and the daemon's rounds run it: its charters and
    /// policy, its pages' registrable domains as first party, the Open Cookie Database as knowledge.
    public init(configured site: Site) {
        self.init(site: site.name, charters: site.charters, policy: site.policy, pageHosts: Self.hosts(of: site.pages))
        knowledge = .openCookieDatabase
    }

    /// The distinct hosts of `pages`.
    static func hosts(of pages: [Page]) -> Set<String> {
        var parsed = PageHosts()
        var hosts: Set<String> = []
        for page in pages {
            if let host = parsed.host(of: page.url) { hosts.insert(host) }
        }
        return hosts
    }
}
