import Audit
import Charter
import Knowledge
import StrictJSON
import Watch

/// Holds a site's cookies against its charters: per cookie status, coverage and proposed entries.
enum CharterReview {
    static func apply(
        _ charters: CharterSet, to report: inout SiteReport, knowledge: CookieKnowledge = .openCookieDatabase
    ) {
        var seenEntries = Set<String>()
        var undeclared: [String: CookieReport] = [:]
        for index in report.cookies.indices {
            let cookie = report.cookies[index]
            let status: CharterStatus
            switch charters.match(cookieName: cookie.identity.name) {
            case .exact(let matched), .pattern(let matched):
                seenEntries.insert(key(matched.charter.name, matched.entry.name.text))
                status = .declared(declared(matched, cookie: cookie))
            case .ambiguous(let candidates):
                for candidate in candidates {
                    seenEntries.insert(key(candidate.charter.name, candidate.entry.name.text))
                }
                status = .ambiguous(candidates.map { "\($0.entry.name.text) (\($0.charter.name))" })
            case .none:
                status = .undeclared
                if undeclared[cookie.identity.name] == nil { undeclared[cookie.identity.name] = cookie }
            }
            report.cookies[index].charter = status
        }
        var seen: [String] = []
        var notSeen: [String: [String]] = [:]
        for charter in charters.charters {
            for entry in charter.entries {
                if seenEntries.contains(key(charter.name, entry.name.text)) {
                    seen.append(entry.name.text)
                } else {
                    notSeen[entry.observable.rawValue, default: []].append(entry.name.text)
                }
            }
        }
        report.coverage = CharterCoverage(
            declaredSeen: seen,
            declaredNotSeen: Observability.allCases.compactMap { observable in
                notSeen[observable.rawValue].map { (observable.rawValue, $0) }
            },
            undeclared: undeclared.keys.sorted(),
            proposedEntries: undeclared.sorted { $0.key < $1.key }.map {
                proposal($0.value, known: knowledge.lookup($0.key))
            })
    }

    private static func key(_ charter: String, _ entry: String) -> String { charter + "\u{0}" + entry }

    private static func declared(_ matched: MatchedEntry, cookie: CookieReport) -> DeclaredCookie {
        let entry = matched.entry
        var exceeds = false
        if let duration = entry.duration, let longest = cookie.lifetimes?.upperBound {
            switch duration.lifetime {
            case .session: exceeds = true
            case .seconds(let seconds): exceeds = longest > Int64(seconds)
            }
        }
        return DeclaredCookie(
            entry: entry.name.text, charter: matched.charter.name, provider: entry.provider,
            category: entry.category.rawValue, duration: entry.duration?.text, lifetimeExceeds: exceeds)
    }

    /// A registry entry for an undeclared cookie, from what was observed. Where the Open Cookie Database
    /// knows the name, its platform, its category mapped to the charter's and its id fill the entry, as
    /// a suggestion the purpose says must be reviewed; otherwise provider and category stay `unknown`:
    /// only a person can say what the cookie is for. The duration is what the site asked for.
    private static func proposal(_ cookie: CookieReport, known: [KnownCookie]) -> ProposedEntry {
        let setBy = "set by \(cookie.setBy.joined(separator: ", "))"
        var members: [(String, JSONValue)] = [("name", .string(cookie.identity.name))]
        if let suggestion = CharterProposal.mostConsentRequiring(known) {
            let others = known.filter { $0 != suggestion }.map { "\($0.platform) (\($0.citation))" }
            let alternatives = others.isEmpty ? "" : "; the database also lists \(others.joined(separator: ", "))"
            members += [
                ("provider", .string(suggestion.platform)),
                (
                    "purpose",
                    .string(
                        "SUGGESTED, review before publishing: \(suggestion.summary), per the \(suggestion.citation)\(alternatives); \(setBy)"
                    )
                ),
                ("category", .string(suggestion.category?.rawValue ?? "unknown")),
            ]
        } else {
            members += [
                ("provider", .string("unknown")),
                ("purpose", .string("unknown (not in the Open Cookie Database): \(setBy)")),
                ("category", .string("unknown")),
            ]
        }
        members.append(("duration", .string(durationText(cookie.lifetimes?.upperBound))))
        if !cookie.identity.hostOnly { members.append(("domain", .string(cookie.identity.domain))) }
        var expect: [(String, JSONValue)] = [
            ("secure", .bool(cookie.attributes.secure)), ("httpOnly", .bool(cookie.attributes.httpOnly)),
        ]
        if cookie.attributes.sameSite != .default {
            expect.append(("sameSite", .string(cookie.attributes.sameSite.rawValue)))
        }
        members.append(("expect", .object(expect)))
        return ProposedEntry(name: cookie.identity.name, entry: .object(members))
    }

    /// A duration the charter parser reads back: whole days (rounded up), hours, or "session".
    static func durationText(_ seconds: Int64?) -> String {
        guard let seconds else { return "session" }
        if seconds >= 86_400 {
            let days = (seconds + 86_399) / 86_400
            return "\(days) day\(days == 1 ? "" : "s")"
        }
        let hours = max(1, (seconds + 3_599) / 3_600)
        return "\(hours) hour\(hours == 1 ? "" : "s")"
    }
}
