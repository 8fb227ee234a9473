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
        var held = Held(outcomes: observation.hops.reduce(0) { $0 + $1.outcomes.count })
        for hop in observation.hops {
            // Once per hop: each cookie of the hop shares the one string (a copy per cookie, kept in
            // the state for every page variant, was a tenth of a large daemon's memory).
            let setBy = hop.setBy
            for outcome in hop.outcomes {
                switch outcome.decision {
                case .stored(let cookie, _):
                    guard observation.evicted.isEmpty || !observation.evicted.contains(cookie.key) else { continue }
                    let lifetime = outcome.setCookie?.requestedLifetime(from: hop.date ?? now)
                    held.put(HistoryCookie(cookie, lifetime: lifetime, setBy: setBy, fingerprinter: fingerprinter))
                case .deleted(let key, _):
                    held.remove(key)
                case .rejected:
                    continue
                }
            }
        }
        return held.sorted()
    }

    /// Up to this many `Set-Cookie` outcomes a visit, its list is kept in an array searched in order
    /// rather than in a dictionary: a few comparisons cost less than a table and a hash per cookie.
    public static let smallVisit = 16

    /// The cookies held so far in a visit, one per identity: an array for a small visit, a table past
    /// `smallVisit` outcomes (a search in order would be quadratic in them).
    private struct Held {
        private var list: [HistoryCookie] = []
        private var table: [CookieIdentity: HistoryCookie]?

        init(outcomes: Int) {
            if outcomes > HistoryCookie.smallVisit {
                table = [:]
                table?.reserveCapacity(outcomes)  // no rehash as it fills
            } else {
                list.reserveCapacity(outcomes)
            }
        }

        mutating func put(_ cookie: HistoryCookie) {
            guard table == nil else {
                table?[cookie.identity] = cookie
                return
            }
            if let index = place(of: cookie.identity) { list[index] = cookie } else { list.append(cookie) }
        }

        mutating func remove(_ key: CookieIdentity) {
            guard table == nil else {
                table?[key] = nil
                return
            }
            if let index = place(of: key) { list.remove(at: index) }
        }

        func sorted() -> [HistoryCookie] {
            if let table { return table.values.sorted(by: HistoryCookie.identityOrder) }
            return HistoryCookie.sortedByIdentity(list)
        }

        private func place(of key: CookieIdentity) -> Int? {
            for index in list.indices
            where list[index].name == key.name && list[index].domain == key.domain
                && list[index].path == key.path && list[index].hostOnly == key.hostOnly
            {
                return index
            }
            return nil
        }
    }
}
