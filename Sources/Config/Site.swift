import Charter

/// A page to scan and the variants to scan it in.
public struct Page: Sendable {
    public var name: String
    public var url: String
    public var variants: [Variant]

    public init(name: String, url: String, variants: [Variant]) {
        self.name = name
        self.url = url
        self.variants = variants
    }
}

/// A website: its pages, the charters it is held to, when to scan it and the policy it answers to.
public struct Site: Sendable {
    public var name: String
    public var pages: [Page]
    /// The charter files as resolved from the config file's directory.
    public var charterFiles: [String]
    /// The charters loaded and indexed for matching.
    public var charters: CharterSet
    public var schedule: Schedule
    public var policy: Policy
    /// How the site's page variants are observed unless a variant says otherwise.
    public var engine: Engine
    /// The login journeys its variants may name, in configuration order.
    public var logins: [LoginJourney] = []

    /// The journey named `name`.
    public func login(named name: String) -> LoginJourney? { logins.first { $0.name == name } }

    public init(
        name: String, pages: [Page], charterFiles: [String], charters: CharterSet, schedule: Schedule = Schedule(),
        policy: Policy = .standard, engine: Engine = .http
    ) {
        self.engine = engine
        self.name = name
        self.pages = pages
        self.charterFiles = charterFiles
        self.charters = charters
        self.schedule = schedule
        self.policy = policy
    }
}
