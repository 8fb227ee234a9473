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
    /// Compared over the two names' contiguous bytes (a zip of their UTF-8 views was a tenth of the
    /// hop's cost: every header is asked for several names).
    public func isNamed(_ name: String) -> Bool {
        guard self.name.utf8.count == name.utf8.count else { return false }
        var mine = self.name
        var theirs = name
        return mine.withUTF8 { a in
            theirs.withUTF8 { b in
                for index in a.indices where a[index] != b[index] {
                    guard Self.isLetter(a[index]), a[index] | 0x20 == b[index] | 0x20 else { return false }
                }
                return true
            }
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte | 0x20) }
}
