import NetworkAddress

/// Which resolved addresses a visit may connect to: public ones, plus the networks explicitly allowed.
public struct AddressPolicy: Sendable, Hashable {
    /// Networks a scanner must not reach by default: a page (or a redirect, or a DNS answer) pointing
    /// there would turn the scanner into a probe of the machine's own network (SSRF).
    public static let restrictedNetworks: [IPNetwork] = [
        v4(0, 0, 0, 0, 8),  // "this network": Linux connects 0.0.0.0 to the local host
        v4(10, 0, 0, 0, 8), v4(100, 64, 0, 0, 10), v4(127, 0, 0, 0, 8),
        v4(169, 254, 0, 0, 16),  // link-local, including the cloud metadata service 169.254.169.254
        v4(172, 16, 0, 0, 12), v4(192, 168, 0, 0, 16),
        v4(224, 0, 0, 0, 4), v4(240, 0, 0, 0, 4),  // multicast, reserved and broadcast
        v6([], 128), v6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128),  // unspecified, loopback
        v6([0xFC], 7), v6([0xFE, 0x80], 10), v6([0xFF], 8),  // unique-local, link-local, multicast
    ]

    private static func v4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, _ prefix: Int) -> IPNetwork {
        IPNetwork(address: IPAddress(unchecked: [a, b, c, d]), prefixLength: prefix)
    }

    private static func v6(_ leading: [UInt8], _ prefix: Int) -> IPNetwork {
        let bytes = leading.count == 16 ? leading : leading + [UInt8](repeating: 0, count: 16 - leading.count)
        return IPNetwork(address: IPAddress(unchecked: bytes), prefixLength: prefix)
    }

    /// Restricted networks that this policy nevertheless allows (e.g. `127.0.0.0/8` for a local test site).
    public var allowed: [IPNetwork]

    public init(allowed: [IPNetwork] = []) {
        self.allowed = allowed
    }

    /// Reads the allowed networks from CIDR strings; the first bad one is the error.
    public init(allowing cidrs: [String]) throws(IPNetworkError) {
        var networks: [IPNetwork] = []
        for cidr in cidrs { networks.append(try IPNetwork(parsing: cidr)) }
        self.init(allowed: networks)
    }

    /// Whether a connection to `address` is permitted.
    public func permits(_ address: IPAddress) -> Bool {
        let address = address.unmapped
        if allowed.contains(where: { $0.contains(address) }) { return true }
        return !Self.restrictedNetworks.contains { $0.contains(address) }
    }
}
