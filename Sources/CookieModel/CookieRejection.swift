/// Why a browser drops a `Set-Cookie` header: a stable reason code and a sentence a person can act on.
public struct CookieRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers: they appear in JSON output, findings and tests.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        case controlCharacter = "control-character"
        case tooLarge = "too-large"
        case emptyNameAndValue = "empty-name-and-value"
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
    }

    public let reason: Reason
    /// The cookie's name when the header got that far (names are not secret; values are never kept here).
    public let cookieName: String?
    public let message: String

    public init(_ reason: Reason, cookieName: String?, _ message: String) {
        self.reason = reason
        self.cookieName = cookieName
        self.message = message
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}
