#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 network in CIDR notation ("10.0.0.0/8", "fd00::/8").
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address: 4 bytes for IPv4, 16 for IPv6.
    public let address: [UInt8]
    public let prefixLength: Int
    public let description: String

    /// Why a text is not a network.
    public enum Problem: Error, Sendable, Hashable {
        case notCIDR
        /// Bits set after the prefix; carries the network meant ("10.0.0.0/8" for "10.0.0.1/8").
        case hostBitsSet(String)
    }

    /// Reads "address/prefix".
    public init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bytes = Self.address(String(parts[0])),
            parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let length = Int(parts[1]), length <= bytes.count * 8
        else { throw .notCIDR }
        let masked = Self.masked(bytes, length)
        guard masked == bytes else {
            throw .hostBitsSet("\(Self.text(of: masked))/\(length)")
        }
        self.address = bytes
        self.prefixLength = length
        self.description = text
    }

    /// Whether `address` (4 or 16 bytes) lies in this network.
    public func contains(_ other: [UInt8]) -> Bool {
        other.count == address.count && Self.masked(other, prefixLength) == address
    }

    private static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = max(0, min(8, length - index * 8))
            return bits == 8 ? byte : byte & ~(UInt8(0xFF) >> bits)
        }
    }

    private static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func text(of bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
