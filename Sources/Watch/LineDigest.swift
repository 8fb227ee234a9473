import Crypto

/// A SHA-256 digest held as its 32 bytes, so that a reader can check a history line's `prev`
/// against the line before it without building hex text for every line.
public struct LineDigest: Sendable, Hashable {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// SHA-256 of `bytes`.
    public init(hashing bytes: UnsafeRawBufferPointer) {
        words = (0, 0, 0, 0)
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        let digest = hasher.finalize()
        digest.withUnsafeBytes { raw in
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw.prefix(32))) }
        }
    }

    /// Reads 64 lower-case hex digits (as `HexDigest` writes them); nil for anything else.
    public init?(hex: UnsafeRawBufferPointer) {
        guard hex.count == 64 else { return nil }
        words = (0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &words) { out -> Bool in
            for index in 0..<32 {
                guard let high = Self.nibble(hex[2 * index]), let low = Self.nibble(hex[2 * index + 1]) else {
                    return false
                }
                out[index] = high << 4 | low
            }
            return true
        }
        guard parsed else { return nil }
    }

    /// The 64 lower-case hex digits `HexDigest.sha256` gives for the same bytes.
    public var hex: String { withUnsafeBytes(of: words) { HexDigest.hex($0) } }

    public static func == (a: LineDigest, b: LineDigest) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
