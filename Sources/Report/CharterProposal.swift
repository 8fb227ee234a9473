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
        var results = charters.charters.map { Proposed(charter: $0, changes: []) }
        var entries = charters.charters.map(\.entries)
        // Every current cookie of each declared entry (a pattern, or one name on several domains)
        // and of each undeclared name, gathered first: the entry is updated once, from all of them.
        var declared: [EntryKey: [CookieReport]] = [:]
        var undeclared: [String: [CookieReport]] = [:]
        var left: [String] = []
        for cookie in site.cookies where cookie.isCurrent {
            let name = cookie.identity.name
            switch charters.match(cookieName: name) {
            case .exact(let matched), .pattern(let matched):
                guard let c = charters.charters.firstIndex(where: { $0.identity == matched.charter }),
                    let e = entries[c].firstIndex(where: { $0.name == matched.entry.name })
                else { continue }
                declared[EntryKey(charter: c, entry: e), default: []].append(cookie)
            case .ambiguous:
                left.append("\(name): claimed by several entries, left as is (fix the charters)")
            case .none:
                undeclared[name, default: []].append(cookie)
            }
        }
        for (key, cookies) in declared.sorted(by: { ($0.key.charter, $0.key.entry) < ($1.key.charter, $1.key.entry) }) {
            update(&entries[key.charter][key.entry], with: cookies, changes: &results[key.charter].changes)
        }
        guard !results.isEmpty else { return [] }
        var added: Set<String> = []
        for (name, cookies) in undeclared.sorted(by: { $0.key < $1.key }) {
            guard let entry = newEntry(name, cookies, known: knowledge.lookup(name)) else {
                left.append("\(name): a charter cannot name it exactly, left out")
                continue
            }
            // Two names known through one prefix become one pattern entry.
            guard added.insert(entry.name.text).inserted else { continue }
            entries[0].append(entry)
            results[0].changes.append(
                "added \(entry.name.text): \(entry.category.rawValue), \(entry.duration?.text ?? "no duration")"
                    + (entry.provider == unknownProvider
                        ? ", UNKNOWN: review its category and purpose" : ", \(entry.provider ?? "")"))
        }
        results[0].changes += left
        for index in results.indices {
            let charter = results[index].charter
            results[index].charter = Charter(
                name: charter.name, source: charter.source, entries: entries[index], file: charter.file)
        }
        return results
    }

    private struct EntryKey: Hashable {
        var charter: Int
        var entry: Int
    }

    static let unknownProvider = "unknown"

    /// The entry's duration and expected attributes brought to what its cookies show, when they drifted:
    /// the longest lifetime any asks for; an expectation all of them break is set to what they agree
    /// on, or dropped when they disagree.
    private static func update(_ entry: inout CharterEntry, with cookies: [CookieReport], changes: inout [String]) {
        let name = entry.name.text
        if let longest = cookies.compactMap({ $0.lifetimes?.upperBound }).max() {
            let allowed: Int64? =
                switch entry.duration?.lifetime {
                case .seconds(let seconds): Int64(seconds)
                case .session: 0
                case nil: nil
                }
            if let allowed, longest > allowed,
                let duration = DeclaredDuration(parsing: CharterReview.durationText(longest))
            {
                changes.append(
                    "\(name): duration \"\(entry.duration?.text ?? "")\" → \"\(duration.text)\" (what the site asks for now)"
                )
                entry.duration = duration
            }
        }
        guard var expect = entry.expect else { return }
        var drifted: [String] = []
        func settle<T: Equatable & CustomStringConvertible>(
            _ label: String, _ promised: T?, _ observed: [T], _ set: (T?) -> Void
        ) {
            guard let promised, observed.contains(where: { $0 != promised }) else { return }
            let agreed = Set(observed.map(\.description)).count == 1 ? observed.first : nil
            set(agreed)
            drifted.append("\(label) \(promised) → \(agreed.map(\.description) ?? "not stated (its cookies differ)")")
        }
        settle("secure", expect.secure, cookies.map(\.attributes.secure)) { expect.secure = $0 }
        settle("httpOnly", expect.httpOnly, cookies.map(\.attributes.httpOnly)) { expect.httpOnly = $0 }
        settle(
            "sameSite", expect.sameSite.map(\.rawValue),
            cookies.map(\.attributes.sameSite).filter { $0 != .default }.map(\.rawValue)
        ) { expect.sameSite = $0.flatMap(SameSite.init(rawValue:)) }
        guard !drifted.isEmpty else { return }
        entry.expect = expect
        changes.append(
            "\(name): expect \(drifted.joined(separator: ", ")) (what the site does now: fix the site instead if the charter was right)"
        )
    }

    /// An entry for a cookie no charter declares: what the database suggests (a pattern `prefix*` when it
    /// knows the name by a prefix), else `marketing` (it then needs consent until a person says
    /// otherwise) with a purpose that says it is unknown. Duration, attributes and `observable` are what
    /// its cookies show; nil for a name a charter cannot hold exactly (one with `*`).
    private static func newEntry(_ name: String, _ cookies: [CookieReport], known: [KnownCookie]) -> CharterEntry? {
        guard !name.contains("*"), !cookies.isEmpty else { return nil }
        let setBy = "set by \(Array(Set(cookies.flatMap(\.setBy))).sorted().joined(separator: ", "))"
        let suggestion = mostConsentRequiring(known)
        let text = suggestion.map { $0.isPrefix ? $0.name + "*" : name } ?? name
        guard let pattern = try? NamePattern(parsing: text) else { return nil }
        let duration = DeclaredDuration(
            parsing: CharterReview.durationText(cookies.compactMap { $0.lifetimes?.upperBound }.max()))
        let observable: Observability =
            cookies.allSatisfy { $0.setBy.allSatisfy { $0.hasSuffix("(script)") } } ? .script : .header
        func agreed<T: Hashable>(_ values: [T]) -> T? { Set(values).count == 1 ? values.first : nil }
        let sameSite = agreed(cookies.map(\.attributes.sameSite))
        let expect = AttributeExpectation(
            secure: agreed(cookies.map(\.attributes.secure)), httpOnly: agreed(cookies.map(\.attributes.httpOnly)),
            sameSite: sameSite == .default ? nil : sameSite)
        let domains = Set(cookies.map { $0.identity.hostOnly ? nil : $0.identity.domain })
        let domain = domains.count == 1 ? domains.first ?? nil : nil
        if let suggestion, let category = suggestion.category {
            let others = known.filter { $0 != suggestion }.map { "\($0.platform) (\($0.citation))" }
            let alternatives = others.isEmpty ? "" : "; the database also lists \(others.joined(separator: ", "))"
            return CharterEntry(
                name: pattern, provider: suggestion.platform,
                purpose:
                    "SUGGESTED, review before publishing: \(suggestion.summary), per the \(suggestion.citation)\(alternatives); \(setBy)",
                category: category, duration: duration, observable: observable, domain: domain, expect: expect)
        }
        return CharterEntry(
            name: pattern, provider: unknownProvider,
            purpose:
                "UNKNOWN (not in the Open Cookie Database), declared as marketing so that it needs consent until reviewed; \(setBy)",
            category: .marketing, duration: duration, observable: observable, domain: domain, expect: expect)
    }

    /// Where the database's entries disagree (one name, several platforms), the one whose category
    /// needs the most consent: a suggestion never makes a tracker look necessary because of row order.
    static func mostConsentRequiring(_ known: [KnownCookie]) -> KnownCookie? {
        known.filter { $0.category != nil }.max { ($0.category ?? .necessary) < ($1.category ?? .necessary) }
    }
}
