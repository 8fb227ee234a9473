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

    /// Whether this header is named `name`, compared ASCII case-insensitively (header names are
    /// tokens; other bytes compare exactly). Byte by byte: lowercasing both made two strings for every
    /// header of every response, each time a header was looked for.
    public func isNamed(_ name: String) -> Bool {
        let mine = self.name.utf8
        let theirs = name.utf8
        guard mine.count == theirs.count else { return false }
        return zip(mine, theirs).allSatisfy { a, b in a == b || (Self.isLetter(a) && a | 0x20 == b | 0x20) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte | 0x20) }
}
