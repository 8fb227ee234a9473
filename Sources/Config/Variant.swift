import Charter

/// One way of requesting a page: the cookies and headers that put the site in a consent state.
public struct Variant: Sendable, Hashable {
    /// A cookie sent with the request.
    public struct RequestCookie: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A header sent with the request.
    public struct RequestHeader: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A header whose value is read from a file when the request is made (credentials).
    public struct HeaderFile: Sendable, Hashable {
        public var name: String
        public var path: String

        public init(name: String, path: String) {
            self.name = name
            self.path = path
        }
    }

    /// What the browser engine does on the consent banner before observing: click these CSS selectors
    /// in order (e.g. "customise" then "save"), the last one standing for `choice`, then wait.
    public struct Banner: Sendable, Hashable {
        public var clicks: [String]
        /// `accept` or `refuse`: what the clicks mean; a refusal makes later consent cookies `set-after-refusal`.
        public var choice: ConsentChoice
        /// How long to keep observing after the last click (the network must also be quiet).
        public var wait: Duration

        public init(clicks: [String], choice: ConsentChoice, wait: Duration = .seconds(1)) {
            self.clicks = clicks
            self.choice = choice
            self.wait = wait
        }
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
    /// The engine for this variant, overriding the site's; nil keeps the site's.
    public var engine: Engine?
    /// Clicks on the consent banner (browser engine only).
    public var banner: Banner?
    /// The site's login journey this variant is observed after; nil for an anonymous visitor.
    public var login: String?

    public init(
        name: String, consentGiven: Bool, cookies: [RequestCookie] = [], headers: [RequestHeader] = [],
        headerFiles: [HeaderFile] = [], acceptLanguage: String? = nil, userAgent: String? = nil, engine: Engine? = nil
    ) {
        self.engine = engine
        self.name = name
        self.consentGiven = consentGiven
        self.cookies = cookies
        self.headers = headers
        self.headerFiles = headerFiles
        self.acceptLanguage = acceptLanguage
        self.userAgent = userAgent
    }

    /// What a page gets when neither it nor its site lists variants: a first visit, no consent.
    public static let firstVisit = Variant(name: "first-visit", consentGiven: false)
}
