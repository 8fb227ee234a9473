import Foundation

/// One `Set-Cookie` header value as a browser reads it (RFC 6265bis 5.6), before the storage rules.
///
/// Where an attribute repeats, the last one wins, as the storage model reads "the last attribute".
public struct SetCookie: Sendable, Hashable {
    public var name: String
    public var value: String
    /// The last readable `Expires`, as an absolute time.
    public var expires: Date?
    /// The last valid `Max-Age`, in seconds (may be zero or negative: a deletion).
    public var maxAge: Int64?
    /// The last non-empty `Domain`, lowercased, without its leading dot (may be empty for `Domain=.`).
    public var domain: String?
    /// The last `Path`: absolute as given, or `nil` inside when it was not absolute (the default path).
    public var path: PathAttribute?
    public var secure = false
    public var httpOnly = false
    /// The last `SameSite`; `.default` when absent or unrecognised.
    public var sameSite: SameSite = .default
    public var partitioned = false
    /// Attributes a browser ignores or reads differently from what the site may mean.
    public var notes: [AttributeNote] = []

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// How a `Path` attribute was given.
    public enum PathAttribute: Sendable, Hashable {
        /// `Path=/docs`: used as is.
        case absolute(String)
        /// `Path=` empty or not starting with `/`: the default path applies (5.6.5).
        case defaultPath
    }

    /// The lifetime the site asked for, in seconds from `now` (`Max-Age` beats `Expires`); nil for a session cookie.
    public func requestedLifetime(from now: Date) -> Int64? {
        if let maxAge { return maxAge }
        if let expires { return Int64((expires.timeIntervalSince1970 - now.timeIntervalSince1970).rounded(.down)) }
        return nil
    }
}

/// Something in a `Set-Cookie` header that a browser ignored; never carries the cookie value.
public enum AttributeNote: Sendable, Hashable, CustomStringConvertible {
    case unreadableExpires(String)
    case invalidMaxAge(String)
    case emptyDomain
    case attributeValueTooLong(String)
    case unrecognisedSameSite(String)
    case pathNotAbsolute(String)
    case unknownAttribute(String)

    public var description: String {
        switch self {
        case .unreadableExpires(let text): "Expires=\(text) is not a date browsers can read; ignored"
        case .invalidMaxAge(let text): "Max-Age=\(text) is not a whole number of seconds; ignored"
        case .emptyDomain: "an empty Domain attribute is ignored"
        case .attributeValueTooLong(let name): "the \(name) attribute is longer than 1024 bytes; ignored"
        case .unrecognisedSameSite(let text): "SameSite=\(text) is not Strict, Lax or None; the default applies"
        case .pathNotAbsolute(let text): "Path=\(text) does not start with \"/\"; the default path applies"
        case .unknownAttribute(let name): "unknown attribute \"\(name)\" ignored"
        }
    }
}
