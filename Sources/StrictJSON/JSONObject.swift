/// An object read against a fixed set of keys: unknown keys, duplicates and missing required keys
/// are reported, so that a misspelt key is never silently ignored.
public struct JSONObject: Sendable {
    public let node: JSONNode
    /// Few keys (a fixed set each): looked up in order rather than hashed.
    private let members: [(key: String, node: JSONNode)]

    /// Reads `node` as an object with the given keys; nil (after reporting) when it is not an object.
    /// Errors about individual keys are reported and the rest of the object is still usable.
    public init?(_ node: JSONNode, keys: [String], required: [String] = [], _ diagnostics: inout Diagnostics) {
        guard let pairs = node.members(&diagnostics) else { return nil }
        self.node = node
        var members: [(key: String, node: JSONNode)] = []
        members.reserveCapacity(pairs.count)
        for (key, member) in pairs {
            if keys.contains(key) {
                members.append((key, member))
            } else {
                let position: SourcePosition? = Self.keyPosition(of: key, in: node.value) ?? member.value.position
                diagnostics.report(
                    "unknown key, expected one of \(keys.joined(separator: ", "))", path: member.path,
                    position: position)
            }
        }
        for key in required where !members.contains(where: { $0.key == key }) {
            diagnostics.report("missing required key \(JSONValue.quoted(key))", at: node)
        }
        self.members = members
    }

    /// The member named `key`, if present.
    public subscript(key: String) -> JSONNode? { members.first { $0.key == key }?.node }

    private static func keyPosition(of key: String, in value: JSONValue) -> SourcePosition? {
        guard case .object(let members) = value.kind else { return nil }
        return members.first { $0.key == key }?.keyPosition
    }
}

extension JSONObject {
    /// Where `key` is written in the object at `node`, falling back to the object's own position.
    public static func position(of key: String, in node: JSONNode) -> SourcePosition? {
        guard case .object(let members) = node.value.kind else { return node.value.position }
        return members.first { $0.key == key }.map { $0.value.position ?? $0.keyPosition } ?? node.value.position
    }
}
