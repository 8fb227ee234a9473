/// The `SameSite` enforcement a stored cookie carries (RFC 6265bis 5.6.7).
public enum SameSite: String, Sendable, Hashable, Codable, CaseIterable {
    case strict
    case lax
    case none
    /// No recognised `SameSite` attribute: browsers treat it as `Lax` for cross-site requests.
    case `default`
}
