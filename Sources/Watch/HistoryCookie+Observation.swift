import Audit
import CookieModel
import Foundation

extension HistoryCookie {
    /// The cookie as history keeps it: its value only as length, shape and fingerprint.
    public init(_ cookie: StoredCookie, lifetime: Int64?, setBy: String, fingerprinter: ValueFingerprinter) {
        let shape = CookieValueShape.describe(cookie.value)
        self.init(
            name: cookie.name, domain: cookie.domain, hostOnly: cookie.hostOnly, path: cookie.path,
            attributes: CookieAttributes(
                secure: cookie.secure, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite,
                partitioned: cookie.partitioned, lifetime: lifetime, setBy: setBy, valueShape: shape),
            valueLength: cookie.value.utf8.count, valueShape: shape,
            valueFingerprint: fingerprinter.fingerprint(cookie.value))
    }

    /// The cookies a browser holds at the end of the visit, sorted by identity: each hop's stored
    /// cookies replace earlier ones with the same identity, deletions remove them. Lifetimes count from
    /// the hop's `Date` (or `now` without one), like the audit's.
    public static func list(from observation: PageObservation, now: Date, fingerprinter: ValueFingerprinter)
        -> [HistoryCookie]
    {
        var jar: [CookieIdentity: HistoryCookie] = [:]
        jar.reserveCapacity(observation.hops.reduce(0) { $0 + $1.outcomes.count })  // no rehash as it fills
        for hop in observation.hops {
            // Once per hop: each cookie of the hop shares the one string (a copy per cookie, kept in
            // the state for every page variant, was a tenth of a large daemon's memory).
            let setBy = hop.setBy
            for outcome in hop.outcomes {
                switch outcome.decision {
                case .stored(let cookie, _):
                    guard !observation.evicted.contains(cookie.key) else { continue }
                    let lifetime = outcome.setCookie?.requestedLifetime(from: hop.date ?? now)
                    let recorded = HistoryCookie(
                        cookie, lifetime: lifetime, setBy: setBy, fingerprinter: fingerprinter)
                    jar[recorded.identity] = recorded
                case .deleted(let key, _):
                    jar[key] = nil
                case .rejected:
                    continue
                }
            }
        }
        return jar.values.sorted(by: identityOrder)
    }
}
