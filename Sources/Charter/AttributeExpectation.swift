import CookieModel

/// Attributes a charter promises for a cookie; nil fields are not checked.
public struct AttributeExpectation: Sendable, Hashable {
    public var secure: Bool?
    public var httpOnly: Bool?
    public var sameSite: SameSite?

    public init(secure: Bool? = nil, httpOnly: Bool? = nil, sameSite: SameSite? = nil) {
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }
}
