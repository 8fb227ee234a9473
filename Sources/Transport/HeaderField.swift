/// One response header line as received: the name, and the value's exact bytes (which need not be UTF-8).
public struct HeaderField: Sendable, Hashable {
    public let name: String
    public let value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }

    /// The value decoded as UTF-8, with invalid bytes replaced (U+FFFD); use `value` for exactness.
    public var text: String { String(decoding: value, as: UTF8.self) }

    /// Whether this header is named `name`, compared ASCII case-insensitively.
    public func isNamed(_ name: String) -> Bool {
        self.name.utf8.count == name.utf8.count && self.name.lowercased() == name.lowercased()
    }
}
