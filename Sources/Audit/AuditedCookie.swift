import Charter
import CookieModel

/// One row of a scan's cookie table: a cookie (name and domain) as stored on the site's pages.
public struct AuditedCookie: Sendable, Hashable {
    public var name: String
    public var domain: String
    public var hostOnly: Bool
    public var path: String
    /// The first hop URL that set it.
    public var setBy: String
    /// Whether that hop was a redirect (3xx) rather than the final page.
    public var setOnRedirect: Bool
    public var category: CookieCategory?
    /// The charter entry it matched (`sessionid`, `_BEAMER*`), nil when undeclared or ambiguous.
    public var entry: String?
    /// The declared duration as published, when the entry has one.
    public var declared: DeclaredDuration?
    /// The longest lifetime asked for across pages, from the response's Date; nil for a session cookie.
    public var lifetime: Int64?
    public var secure: Bool
    public var httpOnly: Bool
    public var sameSite: SameSite
    /// The page variants that stored it, sorted.
    public var pages: PageList
    /// The finding kinds that concern this cookie; empty means it is as declared.
    public var findings: Set<FindingKind>
}
