/// A charter registry: the cookies one organisation declares, under a name and a content digest.
public struct Charter: Sendable {
    public let name: String
    /// Where the charter is published, when known.
    public let source: String?
    public let entries: [CharterEntry]
    public let identity: CharterIdentity
    /// The file it was read from, when it was read from one: two files may carry the same name.
    public let file: String?

    /// A charter built in code; without a `digest`, the digest of its registry document is used.
    public init(
        name: String, source: String? = nil, entries: [CharterEntry], digest: String? = nil, file: String? = nil
    ) {
        self.name = name
        self.source = source
        self.entries = entries
        self.file = file
        let computed = digest ?? ContentDigest.of(Self.document(name: name, source: source, entries: entries))
        self.identity = CharterIdentity(name: name, digest: computed)
    }
}
