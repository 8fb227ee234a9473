/// A lifetime as a charter declares it: the text as published and what it means in seconds.
public struct DeclaredDuration: Sendable, Hashable, CustomStringConvertible {
    /// What the charter says the lifetime is.
    public enum Lifetime: Sendable, Hashable {
        /// Deleted when the browser session ends (no Expires or Max-Age).
        case session
        /// Persistent, for at most this many seconds.
        case seconds(Int)
    }

    /// The text as published ("Up to 12 months", "13 mois").
    public let text: String
    public let lifetime: Lifetime

    public init(text: String, lifetime: Lifetime) {
        self.text = text
        self.lifetime = lifetime
    }

    /// The declared lifetime in seconds; nil for a session cookie.
    public var seconds: Int? {
        if case .seconds(let seconds) = lifetime { return seconds }
        return nil
    }

    public var description: String { text }
}
