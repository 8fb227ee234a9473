/// Where a header-only scan can expect to see a cookie, so that "declared but not seen" does not
/// fire for cookies it cannot observe.
public enum Observability: String, Sendable, Hashable, CaseIterable {
    /// Set by a `Set-Cookie` header on an anonymous page load.
    case header
    /// Set only once a user has logged in.
    case afterLogin = "after-login"
    /// Set by JavaScript in the page (`document.cookie`).
    case script
    /// Set only after the visitor has given consent.
    case consent
}
