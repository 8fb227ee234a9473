/// A cookie value's character classes, for evidence that must not carry the value itself.
///
/// The shape tells a reviewer "a 32-character hex token" or "a UUID" without revealing the token.
public enum CookieValueShape {
    public static func describe(_ value: String) -> String {
        let bytes = Array(value.utf8)
        if bytes.isEmpty { return "empty" }
        if bytes.count == 36,
            bytes.enumerated().allSatisfy({
                [8, 13, 18, 23].contains($0.offset) ? $0.element == 0x2D : isHex($0.element)
            })
        {
            return "uuid"
        }
        if bytes.allSatisfy(isDigit) { return "digits" }
        if bytes.allSatisfy(isHex) { return "hex" }
        if bytes.first == 0x7B || bytes.first == 0x5B || (bytes.first == 0x22 && bytes.count > 1 && bytes[1] == 0x7B) {
            return "json"
        }
        if bytes.filter({ $0 == 0x2E }).count == 2, bytes.starts(with: Array("eyJ".utf8)) { return "jwt" }
        if bytes.allSatisfy({ isAlnum($0) || $0 == 0x2D || $0 == 0x5F }) { return "base64url" }
        if bytes.allSatisfy({ isAlnum($0) || $0 == 0x2B || $0 == 0x2F || $0 == 0x3D }) { return "base64" }
        if bytes.contains(0x25) { return "url-encoded" }
        return "text"
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) }
    private static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) }
}
