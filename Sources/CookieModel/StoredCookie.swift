import Foundation

/// A cookie as a browser keeps it after the storage rules (RFC 6265bis 5.7).
public struct StoredCookie: Sendable, Hashable {
    public var name: String
    public var value: String
    /// The host (host-only) or the domain the cookie is sent to, lowercase, no leading dot.
    public var domain: String
    public var hostOnly: Bool
    public var path: String
    public var secure: Bool
    public var httpOnly: Bool
    public var sameSite: SameSite
    public var partitioned: Bool
    /// When the browser drops it; nil for a session cookie. Capped at 400 days after creation (5.6.1, 5.6.2).
    public var expires: Date?
    /// When it was first stored; replacing a cookie keeps the original time (5.7 step 23).
    public var creation: Date
    /// Order of first storage inside one jar, to order cookies created in the same instant.
    public var creationSequence: UInt64

    public var isPersistent: Bool { expires != nil }

    /// The identity the storage model replaces on: name, domain, host-only flag and path.
    public var key: Key { Key(name: name, domain: domain, hostOnly: hostOnly, path: path) }

    /// (name, domain, host-only, path): one stored cookie per key.
    public struct Key: Sendable, Hashable, Comparable, Codable {
        public var name: String
        public var domain: String
        public var hostOnly: Bool
        public var path: String

        public init(name: String, domain: String, hostOnly: Bool, path: String) {
            self.name = name
            self.domain = domain
            self.hostOnly = hostOnly
            self.path = path
        }

        /// By name, domain, path, then host-only last: a stable order for lists and digests.
        public static func < (a: Key, b: Key) -> Bool {
            (a.name, a.domain, a.path, a.hostOnly ? 1 : 0) < (b.name, b.domain, b.path, b.hostOnly ? 1 : 0)
        }
    }
}
