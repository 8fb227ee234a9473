/// One page visit: where to go, as which browser variant, within which limits.
public struct VisitRequest: Sendable {
    /// An absolute http or https URL.
    public var url: String
    /// Request headers sent on every hop, in order (e.g. `User-Agent`, `Accept-Language`).
    /// A `Cookie` header here is ignored: cookies come from `cookies` and the jar.
    public var headers: [(name: String, value: String)]
    /// Cookies the variant starts with (e.g. a consent cookie), stored host-only for the first URL's host.
    public var cookies: [(name: String, value: String)]
    public var limits: FetchLimits

    public init(
        url: String, headers: [(name: String, value: String)] = [],
        cookies: [(name: String, value: String)] = [], limits: FetchLimits = FetchLimits()
    ) {
        self.url = url
        self.headers = headers
        self.cookies = cookies
        self.limits = limits
    }
}
