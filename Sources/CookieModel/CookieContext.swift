/// How a cookie reaches the store, beyond its header and URL: the parts of RFC 6265bis 5.7 that a
/// browser engine sees and a header-only fetch does not.
public struct CookieContext: Sendable, Hashable {
    /// Written by a non-HTTP API (`document.cookie`, `cookieStore.set`): HttpOnly is refused (step 11).
    public var fromScript: Bool
    /// The response (or the writing document) is cross-site to the top-level site and is not a
    /// top-level navigation: only `SameSite=None` cookies are stored (step 15).
    public var crossSite: Bool

    public init(fromScript: Bool, crossSite: Bool) {
        self.fromScript = fromScript
        self.crossSite = crossSite
    }

    /// A response to a top-level navigation or a same-site request: what every libcurl hop is.
    public static let topLevel = CookieContext(fromScript: false, crossSite: false)
}
