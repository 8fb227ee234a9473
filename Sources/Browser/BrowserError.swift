/// What can go wrong with the browser itself (not with the page): each maps to a visit failure code.
public enum BrowserError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No usable Chromium: not installed, too old, or it would not start.
    case unavailable(String)
    /// The browser died (its pipe closed) while a command was waiting.
    case crashed(String)
    /// A protocol command had no answer within its bound.
    case timeout(String)
    /// The browser answered a command with an error.
    case protocolError(method: String, message: String)

    public var description: String {
        switch self {
        case .unavailable(let message), .crashed(let message), .timeout(let message): message
        case .protocolError(let method, let message): "\(method) failed: \(message)"
        }
    }
}
