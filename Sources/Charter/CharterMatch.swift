/// A charter entry found for a cookie, with the charter it comes from.
public struct MatchedEntry: Sendable, Hashable {
    public let entry: CharterEntry
    public let charter: CharterIdentity
    /// The file the charter was read from, when it was.
    public let charterFile: String?

    /// "csrftoken" in Opendatasoft platform (charters/opendatasoft.json): the entry and where it is written.
    public var located: String {
        "\"\(entry.name.text)\" in \(charter.name)" + (charterFile.map { " (\($0))" } ?? "")
    }
}

/// What the charters say about one cookie name.
public enum CharterMatch: Sendable, Hashable {
    /// An entry with exactly this name.
    case exact(MatchedEntry)
    /// One pattern entry (`_BEAMER*`) and no exact entry.
    case pattern(MatchedEntry)
    /// Several entries claim the cookie (two patterns, or exact entries in two charters): the charter
    /// must be fixed, so no single entry is picked.
    case ambiguous([MatchedEntry])
    /// Undeclared.
    case none

    /// The single entry that governs the cookie, for exact and pattern matches.
    public var entry: CharterEntry? { matched?.entry }

    /// The single entry with its charter, for exact and pattern matches.
    public var matched: MatchedEntry? {
        switch self {
        case .exact(let matched), .pattern(let matched): return matched
        case .ambiguous, .none: return nil
        }
    }
}
