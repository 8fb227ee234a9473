import Charter

/// What a column of a published table holds, recognised from its header text (English or French).
enum TableColumn: Sendable, Hashable {
    case name
    case provider
    case service
    case purpose
    case duration
    case category
    case observable
    case domain

    // Order matters: "Supplier name" is a provider column, "Nom du cookie" a name column.
    private static let rules: [(TableColumn, [String])] = [
        (
            .duration,
            ["duration", "duree", "expir", "lifetime", "lifespan", "retention", "conservation", "validite", "max-age"]
        ),
        (.domain, ["domain", "host", "hote"]),
        (.category, ["categor", "type"]),
        (.observable, ["set by", "observable", "depose par"]),
        (.provider, ["supplier", "provider", "fournisseur", "vendor", "editeur", "emetteur", "third party", "tiers"]),
        (.purpose, ["purpose", "function", "finalite", "description", "usage", "objectif", "utilite"]),
        (.name, ["name", "nom", "cookie"]),
        (.service, ["service"]),
    ]

    /// The column a header cell names, if any.
    init?(header: String) {
        let text = header.folded
        guard !text.isEmpty else { return nil }
        guard let rule = Self.rules.first(where: { $0.1.contains { text.contains($0) } }) else { return nil }
        self = rule.0
    }
}

extension CookieCategory {
    private static let keywords: [(CookieCategory, [String])] = [
        (
            .necessary,
            [
                "necessaire", "necessary", "essential", "essentiel", "strictly", "strictement", "fonctionnel",
                "technique", "technical", "required", "indispensable",
            ]
        ),
        (.preferences, ["preference", "personnalisation", "functional", "functionality", "fonctionnalite"]),
        (.statistics, ["statisti", "analytic", "analytique", "mesure d'audience", "audience", "performance"]),
        (.marketing, ["marketing", "publicit", "advertis", "ciblage", "targeting", "reseaux sociaux", "social media"]),
    ]

    /// The category a section heading or a Category cell names ("Cookies nécessaires", "Statistics").
    init?(heading: String) {
        let text = heading.folded
        guard let match = Self.keywords.first(where: { $0.1.contains { text.contains($0) } }) else { return nil }
        self = match.0
    }
}

extension Observability {
    /// The words an exported "Set by" column uses for each value.
    var label: String {
        switch self {
        case .header: return "response header"
        case .afterLogin: return "after login"
        case .script: return "script"
        case .consent: return "after consent"
        }
    }

    /// Reads a "Set by" cell; an empty cell means a response header.
    init?(label: String) {
        let text = label.folded
        if text.isEmpty || text.contains("header") || text.contains("en-tete") || text == Observability.header.rawValue
        {
            self = .header
        } else if text.contains("login") || text.contains("connexion") {
            self = .afterLogin
        } else if text.contains("script") {
            self = .script
        } else if text.contains("consent") {
            self = .consent
        } else {
            return nil
        }
    }
}
