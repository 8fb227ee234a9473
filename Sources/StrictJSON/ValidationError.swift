/// One precise complaint about an input file: which file, where in it, and what was expected.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (or as resolved from the file that referenced it).
    public var file: String
    /// The key path of the offending value; empty for the document itself.
    public var keyPath: String
    /// Where the offending value starts, when known.
    public var position: SourcePosition?
    /// What is wrong, phrased as what was expected and what was found.
    public var message: String

    public init(file: String, keyPath: String = "", position: SourcePosition? = nil, message: String) {
        self.file = file
        self.keyPath = keyPath
        self.position = position
        self.message = message
    }

    /// `config.json: sites[2].pages[0].url: expected an http or https URL, got "ftp://x" (line 9, column 20)`.
    public var description: String {
        var text = file + ": "
        if !keyPath.isEmpty { text += keyPath + ": " }
        text += message
        if let position { text += " (\(position))" }
        return text
    }
}

/// Every complaint found in one pass over the inputs, so that a user can fix them all at once.
public struct ValidationErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [ValidationError]

    public init(_ errors: [ValidationError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
