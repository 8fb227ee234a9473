/// The charters a site uses, indexed for matching cookie names.
///
/// Exact names are found by hash lookup. Patterns are filed under their literal prefix in a trie
/// (or, for `*_session`, their literal suffix in a reversed trie), so a lookup only verifies the few
/// patterns whose literal ends fit the name, even with thousands of entries.
public struct CharterSet: Sendable {
    public let charters: [Charter]

    private struct Reference: Sendable {
        let charter: Int
        let entry: Int
    }

    private let exact: [String: [Reference]]
    private let patterns: [(reference: Reference, pattern: NamePattern)]
    private let byPrefix: ByteTrie
    private let bySuffix: ByteTrie
    /// Patterns such as `*track*` with no literal end: checked one by one.
    private let unanchored: [Int32]

    /// Indexes `charters`; their order decides the order of entries in an ambiguous match.
    public init(_ charters: [Charter]) {
        self.charters = charters
        var exact: [String: [Reference]] = [:]
        var patterns: [(reference: Reference, pattern: NamePattern)] = []
        var prefixKeys: [(key: [UInt8], value: Int32)] = []
        var suffixKeys: [(key: [UInt8], value: Int32)] = []
        var unanchored: [Int32] = []
        for (charterIndex, charter) in charters.enumerated() {
            for (entryIndex, entry) in charter.entries.enumerated() {
                let reference = Reference(charter: charterIndex, entry: entryIndex)
                if entry.name.isExact {
                    exact[entry.name.text, default: []].append(reference)
                    continue
                }
                let id = Int32(patterns.count)
                patterns.append((reference, entry.name))
                if !entry.name.literalPrefix.isEmpty {
                    prefixKeys.append((entry.name.literalPrefix, id))
                } else if !entry.name.literalSuffix.isEmpty {
                    suffixKeys.append((entry.name.literalSuffix.reversed(), id))
                } else {
                    unanchored.append(id)
                }
            }
        }
        self.exact = exact
        self.patterns = patterns
        self.byPrefix = ByteTrie(prefixKeys)
        self.bySuffix = ByteTrie(suffixKeys)
        self.unanchored = unanchored
    }

    /// The number of entries over all charters.
    public var entryCount: Int { charters.reduce(0) { $0 + $1.entries.count } }

    /// What the charters say about a cookie name: an exact entry beats any pattern; two candidates
    /// at the same level make the match ambiguous.
    public func match(cookieName name: String) -> CharterMatch {
        if let references = exact[name] {
            if references.count == 1 { return .exact(matched(references[0])) }
            return .ambiguous(references.map(matched))
        }
        var utf8 = name
        let hits = utf8.withUTF8 { bytes in patternHits(bytes) }
        switch hits.count {
        case 0: return .none
        case 1: return .pattern(matched(patterns[Int(hits.first)].reference))
        default: return .ambiguous(hits.all.map { matched(patterns[Int($0)].reference) })
        }
    }

    /// The patterns matching a name; the common case of at most one hit allocates nothing.
    private struct Hits {
        var first: Int32 = -1
        var others: [Int32] = []

        var count: Int { first < 0 ? 0 : 1 + others.count }
        /// In pattern order, which follows charter order, for a stable ambiguous result.
        var all: [Int32] { ([first] + others).sorted() }

        mutating func add(_ id: Int32) {
            if first < 0 { first = id } else { others.append(id) }
        }
    }

    private func patternHits(_ name: UnsafeBufferPointer<UInt8>) -> Hits {
        var hits = Hits()
        byPrefix.forEachPrefix(of: name, reversed: false) { id in
            if patterns[Int(id)].pattern.matches(name) { hits.add(id) }
        }
        bySuffix.forEachPrefix(of: name, reversed: true) { id in
            if patterns[Int(id)].pattern.matches(name) { hits.add(id) }
        }
        for id in unanchored where patterns[Int(id)].pattern.matches(name) { hits.add(id) }
        return hits
    }

    private func matched(_ reference: Reference) -> MatchedEntry {
        let charter = charters[reference.charter]
        return MatchedEntry(
            entry: charter.entries[reference.entry], charter: charter.identity, charterFile: charter.file)
    }
}
