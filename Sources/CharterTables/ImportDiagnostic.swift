/// A line or row of a published charter that the importer could not (fully) interpret, and why.
public struct ImportDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line in the source file.
    public let line: Int
    public let reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// `line 12: cannot read cookie name "a b": cookie names cannot contain a space`.
    public var description: String { "line \(line): \(reason)" }
}
