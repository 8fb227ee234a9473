/// Why a browser drops a `Set-Cookie` header: a stable reason code and a sentence a person can act on.
public struct CookieRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers: they appear in JSON output, findings and tests.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        case controlCharacter = "control-character"
        case tooLarge = "too-large"
        case emptyNameAndValue = "empty-name-and-value"
        /// No name, and a value containing '=': Chromium refuses it (it would come back as a named cookie).
        case namelessValueWithEquals = "nameless-value-with-equals"
        case nonASCIIDomain = "non-ascii-domain"
        case publicSuffixDomain = "public-suffix-domain"
        case domainMismatch = "domain-mismatch"
        case secureFromInsecureOrigin = "secure-from-insecure-origin"
        case shadowsSecureCookie = "shadows-secure-cookie"
        case sameSiteNoneWithoutSecure = "samesite-none-without-secure"
        case securePrefix = "secure-prefix"
        case hostPrefix = "host-prefix"
        case prefixInNamelessCookie = "prefix-in-nameless-cookie"
        case partitionedWithoutSecure = "partitioned-without-secure"
        /// A script (`document.cookie`, `cookieStore`) may not write an HttpOnly cookie.
        case httpOnlyFromScript = "httponly-from-script"
        /// A cross-site subresource or frame may store only `SameSite=None` cookies.
        case sameSiteCrossSite = "samesite-cross-site"
    }

    public let reason: Reason
    /// The cookie's name when the header got that far (names are not secret; values are never kept here).
    public let cookieName: String?
    /// What the rule is about (a Domain value, an origin, a size); never the cookie's value.
    let subject: String
    /// Where it applies (the request host, a byte offset, the shadowed cookie).
    let context: String

    /// `subject` and `context` fill the sentence of `message`, which is only built when read.
    public init(_ reason: Reason, cookieName: String?, subject: String = "", context: String = "") {
        self.reason = reason
        self.cookieName = cookieName
        self.subject = subject
        self.context = context
    }

    /// A sentence a person can act on.
    public var message: String {
        switch reason {
        case .controlCharacter: "the header contains the control character \(subject) at byte \(context)"
        case .tooLarge:
            "name and value are \(subject) bytes together; browsers drop cookies over \(SetCookie.maxNameValueBytes)"
        case .emptyNameAndValue: "the cookie has neither a name nor a value"
        case .namelessValueWithEquals:
            "the cookie has no name and its value contains '=', so it would be sent back as a named cookie; Chromium refuses it"
        case .nonASCIIDomain: "Domain=\(subject) is not ASCII; browsers ignore such cookies"
        case .publicSuffixDomain: "Domain=\(subject) is a public suffix; browsers refuse cookies for it"
        case .domainMismatch: "Domain=\(subject) does not domain-match the request host \(context)"
        case .secureFromInsecureOrigin: "the Secure attribute was sent over \(subject), which is not a secure origin"
        case .shadowsSecureCookie:
            "a non-Secure cookie from \(subject) cannot overwrite the Secure cookie \"\(cookieName ?? "")\" for \(context)"
        case .sameSiteNoneWithoutSecure: "SameSite=None requires the Secure attribute"
        case .securePrefix: "a name starting with __Secure- requires the Secure attribute"
        case .hostPrefix: "a name starting with __Host- requires Secure, no Domain attribute and Path=/"
        case .prefixInNamelessCookie: "a cookie without a name may not have a value starting with __Secure- or __Host-"
        case .partitionedWithoutSecure: "the Partitioned attribute requires the Secure attribute"
        case .httpOnlyFromScript: "a script cannot write an HttpOnly cookie; browsers ignore the whole write"
        case .sameSiteCrossSite:
            "SameSite=\(subject) is refused on a cross-site request from \(context); only SameSite=None cookies are stored there"
        }
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}
