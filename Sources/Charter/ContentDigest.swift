import StrictJSON

/// The digest that identifies a charter's content in results.
///
/// It is the 64-bit FNV-1a hash of the canonical JSON bytes, as 16 lower-case hex digits: stable
/// across layout and key order, not cryptographic. It is only a version stamp; swapping in SHA-256
/// later changes this one function.
public enum ContentDigest {
    /// The digest of a parsed document.
    public static func of(_ value: JSONValue) -> String {
        of(bytes: JSONWriter.canonical(value))
    }

    /// The digest of raw bytes.
    public static func of(bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
