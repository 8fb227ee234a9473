/// One declared cookie (or family of cookies, for a pattern) of a charter.
public struct CharterEntry: Sendable, Hashable {
    public var name: NamePattern
    public var provider: String?
    public var service: String?
    public var purpose: String?
    public var category: CookieCategory
    /// Nil when the charter states no lifetime.
    public var duration: DeclaredDuration?
    public var observable: Observability
    /// The host or registrable domain the cookie is set for, when the charter says.
    public var domain: String?
    public var expect: AttributeExpectation?
    /// Exempt from consent although its category normally needs it: the CNIL's exemption for audience
    /// measurement that stays on the site and lives at most 13 months (e.g. Matomo in exempt mode).
    public var consentExempt: Bool

    public init(
        name: NamePattern, provider: String? = nil, service: String? = nil, purpose: String? = nil,
        category: CookieCategory, duration: DeclaredDuration? = nil, observable: Observability = .header,
        domain: String? = nil, expect: AttributeExpectation? = nil, consentExempt: Bool = false
    ) {
        self.name = name
        self.provider = provider
        self.service = service
        self.purpose = purpose
        self.category = category
        self.duration = duration
        self.observable = observable
        self.domain = domain
        self.expect = expect
        self.consentExempt = consentExempt
    }

    /// The declared lifetime in seconds: nil for a session cookie or when none is declared.
    public var declaredLifetime: Int? { duration?.seconds }
}

extension CharterEntry {
    /// A charter's `domain` as stored: lower case, without the leading dot cookies' Domain may carry;
    /// nil when the text is not a host name ("https://x.org", "a b").
    package static func domain(parsing text: String) -> String? {
        let host = text.hasPrefix(".") ? String(text.dropFirst()) : text
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let valid =
            !host.isEmpty
            && labels.allSatisfy { label in
                !label.isEmpty && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
        return valid ? host.lowercased() : nil
    }
}
