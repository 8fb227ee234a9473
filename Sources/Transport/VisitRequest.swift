import CookieModel
import Foundation

/// One page visit: where to go, as which browser variant, within which limits.
public struct VisitRequest: Sendable {
    /// An absolute http or https URL.
    public var url: String
    /// Request headers sent on every hop, in order (e.g. `User-Agent`, `Accept-Language`).
    /// A `Cookie` header here is ignored: cookies come from `cookies` and the jar.
    public var headers: [(name: String, value: String)]
    /// Headers holding credentials (a variant's `headerFiles`), sent only to their origin.
    public var credentials: CredentialHeaders?
    /// Cookies the variant starts with (e.g. a consent cookie), stored host-only for the first URL's host.
    public var cookies: [(name: String, value: String)]
    public var limits: FetchLimits
    /// A form to POST on the first hop (a login); 307 and 308 redirects post it again, others GET.
    public var form: FormPost?
    /// The jar the visit starts with (a signed-in session); `cookies` are added to it.
    public var jar: CookieJar?
    /// Keep the final response's body (at most the body cap) in `Exchange.body`: a login form is read
    /// from it. Page visits only count body bytes.
    public var keepsBody = false

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

extension VisitRequest {
    /// The jar the visit starts with: `jar` (a signed-in session), then `cookies` host-only on the
    /// page's host. Both engines start from it.
    public func startingJar(at now: Date) -> CookieJar {
        var jar = self.jar ?? CookieJar()
        if let first = try? CookieURL(parsing: url) {
            for cookie in cookies {
                _ = jar.receive(setCookie: "\(cookie.name)=\(cookie.value); Path=/", from: first, at: now)
            }
        }
        return jar
    }
}

/// Headers holding credentials and the one origin they go to. A hop (libcurl) or a request (Chromium)
/// to any other scheme, host or port goes without them, as curl and browsers drop `Authorization`
/// across origins: a redirect to a third party, or a third-party script, never receives them. Nothing
/// records their values.
public struct CredentialHeaders: Sendable {
    public var origin: Origin
    public var headers: [(name: String, value: String)]

    public init(origin: Origin, headers: [(name: String, value: String)]) {
        self.origin = origin
        self.headers = headers
    }
}

/// A form body sent with POST: `application/x-www-form-urlencoded` bytes. It may hold a password:
/// nothing in Transport logs, records or describes it.
public struct FormPost: Sendable {
    public var body: [UInt8]
    public var contentType: String

    public init(body: [UInt8], contentType: String = "application/x-www-form-urlencoded") {
        self.body = body
        self.contentType = contentType
    }
}
