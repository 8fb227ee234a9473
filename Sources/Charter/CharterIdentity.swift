/// Which charter (and which version of it) a result was computed against.
public struct CharterIdentity: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    /// The content digest of the charter (see `ContentDigest`).
    public let digest: String

    public init(name: String, digest: String) {
        self.name = name
        self.digest = digest
    }

    public var description: String { "\(name)@\(digest)" }
}
