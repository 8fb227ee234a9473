import Crypto
import Foundation

/// SHA-256 as 64 lower-case hex digits: the history chain and cookie-list digests.
public enum HexDigest {
    /// The `prev` of the first history line ever written.
    public static let zero = String(repeating: "0", count: 64)

    /// SHA-256 of `bytes` (an array or a slice of one: hashed where they lie), as 64 lower-case hex digits.
    public static func sha256(_ bytes: some DataProtocol) -> String { hex(SHA256.hash(data: bytes)) }

    /// The first `count` bytes of `digest` (all by default) as lower-case hex digits.
    static func hex(_ digest: SHA256.Digest, bytes count: Int = SHA256.Digest.byteCount) -> String {
        digest.withUnsafeBytes { hex(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
    }

    /// `bytes` as lower-case hex digits, written straight into the string's storage (a digest a
    /// daemon visit several times over: it went through a generic sequence and an array).
    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (index, byte) in bytes.enumerated() {
                out[2 * index] = digit(byte >> 4)
                out[2 * index + 1] = digit(byte & 0x0F)
            }
            return bytes.count * 2
        }
    }

    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
