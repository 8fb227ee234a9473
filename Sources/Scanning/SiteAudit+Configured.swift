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

    /// The distinct hosts of `pages`. A URL is parsed only when its scheme and authority (the text before
    /// the first `/`, `?` or `#` after `://`) are new: a site's pages share a few, and a round of a
    /// 100,000-page site parsed every URL again.
    static func hosts(of pages: [Page]) -> Set<String> {
        var hosts: Set<String> = []
        var authorities: Set<Substring> = []
        for page in pages {
            let url = page.url
            if let end = Self.authorityEnd(url) {
                guard authorities.insert(Substring(url.utf8[..<end])).inserted else { continue }
            }
            if let host = try? CookieURL(parsing: url).host { hosts.insert(host) }
        }
        return hosts
    }

    /// Where the authority of `url` ends (its first `/`, `?` or `#` after `://`); nil without `://`.
    private static func authorityEnd(_ url: String) -> String.Index? {
        let utf8 = url.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")),
            utf8[colon...].starts(with: "://".utf8)
        else { return nil }
        let authority = utf8.index(colon, offsetBy: 3)
        return utf8[authority...].firstIndex {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        }
            ?? utf8.endIndex
    }
}
