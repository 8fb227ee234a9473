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
        let outcomes = observation.hops.reduce(0) { $0 + $1.outcomes.count }
        guard outcomes > smallVisit else { return listFew(from: observation, now: now, fingerprinter: fingerprinter) }
        var jar: [CookieIdentity: HistoryCookie] = [:]
        jar.reserveCapacity(outcomes)  // no rehash as it fills
        for hop in observation.hops {
            // Once per hop: each cookie of the hop shares the one string (a copy per cookie, kept in
            // the state for every page variant, was a tenth of a large daemon's memory).
            let setBy = hop.setBy
            for outcome in hop.outcomes {
                switch outcome.decision {
                case .stored(let cookie, _):
                    guard observation.evicted.isEmpty || !observation.evicted.contains(cookie.key) else { continue }
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

    /// Up to this many `Set-Cookie` outcomes a visit, its list is kept in an array searched in order
    /// rather than in a dictionary: a few comparisons cost less than a table and a hash per cookie.
    public static let smallVisit = 16

    /// `list` for a visit of at most `smallVisit` outcomes.
    private static func listFew(from observation: PageObservation, now: Date, fingerprinter: ValueFingerprinter)
        -> [HistoryCookie]
    {
        var listed: [HistoryCookie] = []
        listed.reserveCapacity(smallVisit)
        func place(of key: CookieIdentity) -> Int? {
            for index in listed.indices
            where listed[index].name == key.name && listed[index].domain == key.domain
                && listed[index].path == key.path && listed[index].hostOnly == key.hostOnly
            {
                return index
            }
            return nil
        }
        for hop in observation.hops {
            let setBy = hop.setBy
            for outcome in hop.outcomes {
                switch outcome.decision {
                case .stored(let cookie, _):
                    guard observation.evicted.isEmpty || !observation.evicted.contains(cookie.key) else { continue }
                    let lifetime = outcome.setCookie?.requestedLifetime(from: hop.date ?? now)
                    let recorded = HistoryCookie(
                        cookie, lifetime: lifetime, setBy: setBy, fingerprinter: fingerprinter)
                    if let index = place(of: recorded.identity) {
                        listed[index] = recorded
                    } else {
                        listed.append(recorded)
                    }
                case .deleted(let key, _):
                    if let index = place(of: key) { listed.remove(at: index) }
                case .rejected:
                    continue
                }
            }
        }
        return sortedByIdentity(listed)
    }
}
