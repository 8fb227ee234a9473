/// A CIDR block such as `127.0.0.0/8` or `fc00::/7`.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    /// Reads `address/prefix` (a bare address means a single host); the error says what is wrong.
    public init(parsing text: String) throws(IPNetworkError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else {
            throw IPNetworkError(text: text, reason: "\"\(parts[0])\" is not an IPv4 or IPv6 address")
        }
        let maximum = address.bytes.count * 8
        var prefix = maximum
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...maximum).contains(value) else {
                throw IPNetworkError(text: text, reason: "the prefix length must be a number from 0 to \(maximum)")
            }
            prefix = value
        }
        self.init(address: address, prefixLength: prefix)
    }

    /// A network from an address and a prefix length (clamped to the address size).
    public init(address: IPAddress, prefixLength: Int) {
        self.address = address
        self.prefixLength = max(0, min(prefixLength, address.bytes.count * 8))
    }

    /// Whether `candidate` lies in this network; IPv4-mapped IPv6 candidates count as IPv4.
    public func contains(_ candidate: IPAddress) -> Bool {
        let candidate = candidate.bytes.count == address.bytes.count ? candidate : candidate.unmapped
        guard candidate.bytes.count == address.bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(address.bytes, candidate.bytes) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if mine & mask != theirs & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The network with every bit after the prefix cleared ("10.0.0.0/8" for "10.1.2.3/8").
    public var masked: IPNetwork {
        var remaining = prefixLength
        let bytes = address.bytes.map { byte -> UInt8 in
            let bits = max(0, min(8, remaining))
            remaining -= 8
            return bits == 8 ? byte : byte & ~(UInt8(0xFF) >> bits)
        }
        return IPNetwork(address: IPAddress(unchecked: bytes), prefixLength: prefixLength)
    }

    /// Whether bits after the prefix are set: usually a typo for the network `masked` names.
    public var hasHostBits: Bool { masked.address != address }

    public var description: String { "\(address)/\(prefixLength)" }
}

/// A CIDR string that could not be read.
public struct IPNetworkError: Error, Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public var description: String { "\"\(text)\" is not a network in CIDR notation: \(reason)" }
}
