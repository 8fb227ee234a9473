import CookieModel

/// What a drift event compares between two scans of a cookie.
///
/// The value's length and fingerprint are left out: session tokens change on every visit, and a
/// new token is not drift of the charter.
public struct CookieAttributes: Sendable, Hashable, Codable {
    public var secure: Bool
    public var httpOnly: Bool
    public var sameSite: SameSite
    public var partitioned: Bool
    /// Seconds from the response's Date to expiry; nil for a session cookie.
    public var lifetime: Int64?
    /// The hop URL whose response set it.
    public var setBy: String
    public var valueShape: String

    public init(
        secure: Bool, httpOnly: Bool, sameSite: SameSite, partitioned: Bool, lifetime: Int64?, setBy: String,
        valueShape: String
    ) {
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.partitioned = partitioned
        self.lifetime = lifetime
        self.setBy = setBy
        self.valueShape = valueShape
    }

    private enum CodingKeys: String, CodingKey {
        case secure, httpOnly, sameSite, partitioned, lifetime, setBy, valueShape
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        secure = try c.decode(Bool.self, forKey: .secure)
        httpOnly = try c.decode(Bool.self, forKey: .httpOnly)
        sameSite = try c.decode(SameSite.self, forKey: .sameSite)
        partitioned = try c.decode(Bool.self, forKey: .partitioned)
        lifetime = try c.decode(Int64?.self, forKey: .lifetime)
        setBy = try c.decode(String.self, forKey: .setBy)
        valueShape = try c.decode(String.self, forKey: .valueShape)
    }

    // Written explicitly so that a session cookie's lifetime is `null`, not a missing key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(secure, forKey: .secure)
        try c.encode(httpOnly, forKey: .httpOnly)
        try c.encode(sameSite, forKey: .sameSite)
        try c.encode(partitioned, forKey: .partitioned)
        try c.encode(lifetime, forKey: .lifetime)
        try c.encode(setBy, forKey: .setBy)
        try c.encode(valueShape, forKey: .valueShape)
    }
}
