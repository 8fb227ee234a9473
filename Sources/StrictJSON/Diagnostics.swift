/// Collects the validation errors of one file while a reader walks it.
public struct Diagnostics: Sendable {
    /// The file every error is attributed to.
    public let file: String
    public private(set) var errors: [ValidationError] = []

    public init(file: String) {
        self.file = file
    }

    /// Records that the value at `node` is wrong.
    public mutating func report(_ message: String, at node: JSONNode) {
        report(message, path: node.path, position: node.value.position)
    }

    /// Records an error at an explicit place.
    public mutating func report(_ message: String, path: KeyPath, position: SourcePosition?) {
        errors.append(ValidationError(file: file, keyPath: path.description, position: position, message: message))
    }

    /// Adds errors found elsewhere (for example in a file this one references).
    public mutating func append(contentsOf other: [ValidationError]) {
        errors.append(contentsOf: other)
    }

    public var isEmpty: Bool { errors.isEmpty }
}
