/// Where a value sits in a document, printed as `sites[2].pages[0].url`.
public struct KeyPath: Sendable, Hashable, CustomStringConvertible {
    /// One step: a member key or an array index.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    /// The document root.
    public static let root = KeyPath(components: [])

    public init(components: [Component]) {
        self.components = components
    }

    /// This path followed by a member key.
    public func appending(_ key: String) -> KeyPath { KeyPath(components: components + [.key(key)]) }
    /// This path followed by an array index.
    public func appending(_ index: Int) -> KeyPath { KeyPath(components: components + [.index(index)]) }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where Self.isPlain(key):
                text += text.isEmpty ? key : ".\(key)"
            case .key(let key):
                text += "[\(JSONValue.quoted(key))]"
            }
        }
        return text
    }

    // Keys such as header names ("Accept-Language") read fine bare; only keys that would make the
    // path ambiguous are bracketed.
    private static func isPlain(_ key: String) -> Bool {
        !key.isEmpty && !key.contains { $0 == "." || $0 == "[" || $0 == "]" || $0 == "\"" || $0.isWhitespace }
    }
}
