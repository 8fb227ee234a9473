import CookieModel

/// A stored cookie as the history keeps it: identity, attributes and a fingerprint, never the value.
public struct HistoryCookie: Sendable, Hashable, Codable {
    public var name: String
    public var domain: String
    public var hostOnly: Bool
    public var path: String
    public var attributes: CookieAttributes
    public var valueLength: Int
    /// `CookieValueShape.describe` of the value ("hex", "uuid", ...).
    public var valueShape: String
    /// `ValueFingerprint` of the value: 16 hex digits of a keyed HMAC.
    public var valueFingerprint: String

    public init(
        name: String, domain: String, hostOnly: Bool, path: String, attributes: CookieAttributes,
        valueLength: Int, valueShape: String, valueFingerprint: String
    ) {
        self.name = name
        self.domain = domain
        self.hostOnly = hostOnly
        self.path = path
        self.attributes = attributes
        self.valueLength = valueLength
        self.valueShape = valueShape
        self.valueFingerprint = valueFingerprint
    }

    /// Name, domain, host-only flag and path: one stored cookie per identity (RFC 6265bis 5.7).
    public var identity: CookieIdentity {
        CookieIdentity(name: name, domain: domain, hostOnly: hostOnly, path: path)
    }

    /// `a.identity < b.identity`, without building either identity (a sort built two a comparison).
    public static func identityOrder(_ a: HistoryCookie, _ b: HistoryCookie) -> Bool {
        if a.name != b.name { return a.name < b.name }
        if a.domain != b.domain { return a.domain < b.domain }
        if a.path != b.path { return a.path < b.path }
        return !a.hostOnly && b.hostOnly
    }

    /// `cookies` sorted by identity; returned as they are when they already are (lists are sorted when
    /// made, then sorted again for each digest and record).
    public static func sortedByIdentity(_ cookies: [HistoryCookie]) -> [HistoryCookie] {
        for index in cookies.indices.dropFirst() where identityOrder(cookies[index], cookies[index - 1]) {
            return cookies.sorted(by: identityOrder)
        }
        return cookies
    }

    private enum CodingKeys: String, CodingKey {
        case name, domain, hostOnly, path, valueLength, valueShape, valueFingerprint
    }

    // The attributes sit flat in the line, next to the identity, for readers with jq.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        domain = try c.decode(String.self, forKey: .domain)
        hostOnly = try c.decode(Bool.self, forKey: .hostOnly)
        path = try c.decode(String.self, forKey: .path)
        attributes = try CookieAttributes(from: decoder)
        valueLength = try c.decode(Int.self, forKey: .valueLength)
        valueShape = try c.decode(String.self, forKey: .valueShape)
        valueFingerprint = try c.decode(String.self, forKey: .valueFingerprint)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(domain, forKey: .domain)
        try c.encode(hostOnly, forKey: .hostOnly)
        try c.encode(path, forKey: .path)
        try attributes.encode(to: encoder)
        try c.encode(valueLength, forKey: .valueLength)
        try c.encode(valueShape, forKey: .valueShape)
        try c.encode(valueFingerprint, forKey: .valueFingerprint)
    }
}

/// Name, domain, host-only flag and path: what the storage model replaces on.
public typealias CookieIdentity = StoredCookie.Key
