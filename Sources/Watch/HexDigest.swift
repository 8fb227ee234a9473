import Crypto

/// SHA-256 as 64 lower-case hex digits: the history chain and cookie-list digests.
public enum HexDigest {
    /// The `prev` of the first history line ever written.
    public static let zero = String(repeating: "0", count: 64)

    /// SHA-256 of `bytes`, as 64 lower-case hex digits.
    public static func sha256(_ bytes: some Collection<UInt8>) -> String {
        hex(SHA256.hash(data: Array(bytes)))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
