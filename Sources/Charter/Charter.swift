/// A charter registry: the cookies one organisation declares, under a name and a content digest.
public struct Charter: Sendable {
    public let name: String
    /// Where the charter is published, when known.
    public let source: String?
    public let entries: [CharterEntry]
    public let identity: CharterIdentity

    public init(name: String, source: String? = nil, entries: [CharterEntry], digest: String) {
        self.name = name
        self.source = source
        self.entries = entries
        self.identity = CharterIdentity(name: name, digest: digest)
    }
}
