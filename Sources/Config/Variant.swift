/// One way of requesting a page: the cookies and headers that put the site in a consent state.
public struct Variant: Sendable, Hashable {
    /// A cookie sent with the request.
    public struct RequestCookie: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    /// A header sent with the request.
    public struct RequestHeader: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    /// A header whose value is read from a file when the request is made (credentials).
    public struct HeaderFile: Sendable, Hashable {
        public var name: String
        public var path: String
    }

    /// "no-consent", "consent-accepted", ...
    public var name: String
    /// Whether this variant represents a visitor who has given consent; without it, cookies of
    /// consent-requiring categories are findings.
    public var consentGiven: Bool
    public var cookies: [RequestCookie]
    public var headers: [RequestHeader]
    public var headerFiles: [HeaderFile]
    public var acceptLanguage: String?
    public var userAgent: String?

    /// What a page gets when neither it nor its site lists variants: a first visit, no consent.
    public static let firstVisit = Variant(
        name: "first-visit", consentGiven: false, cookies: [], headers: [], headerFiles: [], acceptLanguage: nil,
        userAgent: nil)
}
