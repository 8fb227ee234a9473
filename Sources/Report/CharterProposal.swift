import Charter
import CookieModel
import Knowledge

/// The charters of a site as they should read once reviewed, from what the site sets now: every
/// current undeclared cookie added (to the site's first charter), and declared entries whose cookies
/// outgrew their declared duration or changed the attributes they promise updated to what the site
/// does. Pure: a site report (from the history) in, charters and the list of changes out.
public enum CharterProposal {
    public struct Proposed: Sendable {
        public var charter: Charter
        /// One line per change, for the reviewer: "added _ga (statistics, suggested by ...)".
        public var changes: [String]
    }

    public static func propose(
        _ site: SiteReport, charters: CharterSet, knowledge: CookieKnowledge = .openCookieDatabase
    ) -> [Proposed] {
        let current = site.cookies.filter(\.isCurrent)
        var results = charters.charters.map { Proposed(charter: $0, changes: []) }
        var entries = charters.charters.map(\.entries)
        var added: [String: CharterEntry] = [:]
        for cookie in current {
            let name = cookie.identity.name
            switch charters.match(cookieName: name) {
            case .exact(let matched), .pattern(let matched):
                guard let c = charters.charters.firstIndex(where: { $0.identity == matched.charter }),
                    let e = entries[c].firstIndex(where: { $0.name == matched.entry.name })
                else { continue }
                update(&entries[c][e], with: cookie, changes: &results[c].changes)
            case .ambiguous:
                continue
            case .none:
                if var entry = added[name] {
                    update(&entry, with: cookie, changes: &results[0].changes, quiet: true)
                    added[name] = entry
                } else if let entry = newEntry(cookie, known: knowledge.lookup(name)) {
                    added[name] = entry
                }
            }
        }
        if !results.isEmpty {
            for (name, entry) in added.sorted(by: { $0.key < $1.key }) {
                entries[0].append(entry)
                results[0].changes.append(
                    "added \(name): \(entry.category.rawValue), \(entry.duration?.text ?? "no duration")"
                        + (entry.provider == unknownProvider
                            ? ", UNKNOWN: review its category and purpose" : ", \(entry.provider ?? "")"))
            }
        }
        for index in results.indices {
            let charter = results[index].charter
            results[index].charter = Charter(
                name: charter.name, source: charter.source, entries: entries[index], file: charter.file)
        }
        return results
    }

    static let unknownProvider = "unknown"

    /// The entry's duration and expected attributes brought to what `cookie` shows, when it drifted.
    private static func update(
        _ entry: inout CharterEntry, with cookie: CookieReport, changes: inout [String], quiet: Bool = false
    ) {
        let name = entry.name.text
        if let longest = cookie.lifetimes?.upperBound {
            let allowed: Int64? =
                switch entry.duration?.lifetime {
                case .seconds(let seconds): Int64(seconds)
                case .session: 0
                case nil: nil
                }
            if let allowed, longest > allowed,
                let duration = DeclaredDuration(parsing: CharterReview.durationText(longest))
            {
                if !quiet {
                    changes.append(
                        "\(name): duration \"\(entry.duration?.text ?? "")\" → \"\(duration.text)\" (what the site asks for now)"
                    )
                }
                entry.duration = duration
            }
        }
        guard var expect = entry.expect else { return }
        let observed = cookie.attributes
        var drifted: [String] = []
        if let secure = expect.secure, secure != observed.secure {
            expect.secure = observed.secure
            drifted.append("secure \(secure) → \(observed.secure)")
        }
        if let httpOnly = expect.httpOnly, httpOnly != observed.httpOnly {
            expect.httpOnly = observed.httpOnly
            drifted.append("httpOnly \(httpOnly) → \(observed.httpOnly)")
        }
        if let sameSite = expect.sameSite, sameSite != observed.sameSite, observed.sameSite != .default {
            expect.sameSite = observed.sameSite
            drifted.append("sameSite \(sameSite.rawValue) → \(observed.sameSite.rawValue)")
        }
        guard !drifted.isEmpty else { return }
        entry.expect = expect
        if !quiet {
            changes.append(
                "\(name): expect \(drifted.joined(separator: ", ")) (what the site does now: fix the site instead if the charter was right)"
            )
        }
    }

    /// An entry for a cookie no charter declares: what the database suggests, else `marketing` (it then
    /// needs consent until a person says otherwise) with a purpose that says it is unknown.
    /// nil for a name a charter cannot hold exactly (one with `*`, which would read as a pattern).
    private static func newEntry(_ cookie: CookieReport, known: [KnownCookie]) -> CharterEntry? {
        let name = cookie.identity.name
        let setBy = "set by \(cookie.setBy.joined(separator: ", "))"
        guard !name.contains("*"), let pattern = try? NamePattern(parsing: name) else { return nil }
        let duration = DeclaredDuration(parsing: CharterReview.durationText(cookie.lifetimes?.upperBound))
        let observable: Observability = cookie.setBy.allSatisfy { $0.hasSuffix("(script)") } ? .script : .header
        let attributes = cookie.attributes
        let expect = AttributeExpectation(
            secure: attributes.secure, httpOnly: attributes.httpOnly,
            sameSite: attributes.sameSite == .default ? nil : attributes.sameSite)
        let domain = cookie.identity.hostOnly ? nil : cookie.identity.domain
        if let suggestion = known.first, let category = suggestion.category {
            return CharterEntry(
                name: pattern, provider: suggestion.platform,
                purpose:
                    "SUGGESTED, review before publishing: \(suggestion.summary), per the \(suggestion.citation); \(setBy)",
                category: category, duration: duration, observable: observable, domain: domain, expect: expect)
        }
        return CharterEntry(
            name: pattern, provider: unknownProvider,
            purpose:
                "UNKNOWN (not in the Open Cookie Database), declared as marketing so that it needs consent until reviewed; \(setBy)",
            category: .marketing, duration: duration, observable: observable, domain: domain, expect: expect)
    }
}
