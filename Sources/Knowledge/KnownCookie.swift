import Charter

/// What the Open Cookie Database says a cookie (or storage key) usually is: a suggestion for a
/// reviewer, never a verdict on what a site does.
public struct KnownCookie: Sendable, Hashable {
    /// The upstream entry's id, cited so that a reviewer can look it up.
    public var id: String
    /// The product that sets it: `Google Analytics`, `Matomo`, `Cookiebot`...
    public var platform: String
    /// The upstream category as written: `Functional`, `Security`, `Necessary`, `Personalization`,
    /// `Analytics`, `Marketing`.
    public var upstreamCategory: String
    /// The charter category it maps to (`KnowledgeCategory`); nil for an upstream category with no mapping.
    public var category: CookieCategory?
    /// The name, or the prefix when `isPrefix`.
    public var name: String
    public var isPrefix: Bool
    /// Where it is usually set, when upstream says (`facebook.com`).
    public var domain: String?
    /// Whether upstream marks it as set by a third party.
    public var thirdParty: Bool
    /// The usual lifetime as upstream writes it (`2 years`, `session`, `90 Days`).
    public var retention: String
    public var controller: String

    /// "Google Analytics, statistics, usually 2 years": what a report or a finding says.
    public var summary: String {
        var parts = [platform, category?.rawValue ?? "category \(upstreamCategory)"]
        if !retention.isEmpty { parts.append("usually \(retention)") }
        if let domain { parts.append("usually set by \(domain)\(thirdParty ? " (third party)" : "")") }
        return parts.joined(separator: ", ")
    }

    /// "Open Cookie Database 256c18e8-…": the source to cite.
    public var citation: String { "Open Cookie Database \(id)" }
}

/// The one mapping from the database's categories to the charter's: Functional, Security and
/// Necessary are necessary; Personalization, preferences; Analytics, statistics; Marketing, marketing.
public enum KnowledgeCategory {
    public static let mapping: [String: CookieCategory] = [
        "functional": .necessary, "security": .necessary, "necessary": .necessary, "personalization": .preferences,
        "analytics": .statistics, "marketing": .marketing,
    ]

    public static func charterCategory(_ upstream: String) -> CookieCategory? { mapping[upstream.lowercased()] }
}
