/// Where a value sits in a document, printed as `sites[2].pages[0].url`.
public struct KeyPath: Sendable, Hashable, CustomStringConvertible {
    /// One step: a member key or an array index.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The last step, linked to the path before it: appending is one small allocation shared by every
    /// path below it, not a copy of the whole path (a 100,000-page config makes 100,000 of them).
    private final class Step: Sendable {
        let parent: Step?
        let component: Component

        init(parent: Step?, component: Component) {
            self.parent = parent
            self.component = component
        }
    }

    private let last: Step?

    private init(last: Step?) { self.last = last }

    /// The document root.
    public static let root = KeyPath(last: nil)

    public init(components: [Component]) {
        last = components.reduce(nil) { Step(parent: $0, component: $1) }
    }

    /// The steps from the root.
    public var components: [Component] {
        var steps: [Component] = []
        var step = last
        while let current = step {
            steps.append(current.component)
            step = current.parent
        }
        return steps.reversed()
    }

    /// The last step, if any, without walking the path.
    public var lastComponent: Component? { last?.component }

    /// This path followed by a member key.
    public func appending(_ key: String) -> KeyPath { KeyPath(last: Step(parent: last, component: .key(key))) }
    /// This path followed by an array index.
    public func appending(_ index: Int) -> KeyPath { KeyPath(last: Step(parent: last, component: .index(index))) }

    public static func == (lhs: KeyPath, rhs: KeyPath) -> Bool { lhs.components == rhs.components }
    public func hash(into hasher: inout Hasher) { hasher.combine(components) }

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
