import StrictJSON

/// What `charter import` found: the entries, the document's title, and every row it could not use.
public struct CharterImport: Sendable {
    /// The name for the registry: the caller's, else the document's first heading or title.
    public var name: String
    public var source: String?
    public var entries: [ImportedEntry]
    public var diagnostics: [ImportDiagnostic]

    /// The registry document, ready to print.
    public var jsonValue: JSONValue {
        var document: [(String, JSONValue)] = [("name", .string(name))]
        if let source { document.append(("source", .string(source))) }
        document.append(("cookies", .array(entries.map(\.jsonValue))))
        return .object(document)
    }
}
