/// A URL's origin (RFC 6454): scheme, host and port, the port made explicit. Credentials bound to an
/// origin go to that origin only.
public struct Origin: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`, lowercase.
    public let scheme: String
    /// As `CookieURL.host`: lowercase, an IPv6 address without brackets.
    public let host: String
    public let port: Int

    public init(scheme: String, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// `scheme://host[:port]` as browsers write it: the scheme's default port left out, an IPv6 host
    /// in brackets.
    public var description: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == Self.defaultPort(scheme) ? "\(scheme)://\(bracketed)" : "\(scheme)://\(bracketed):\(port)"
    }

    static func defaultPort(_ scheme: String) -> Int { scheme == "https" ? 443 : 80 }
}

extension CookieURL {
    /// The URL's origin; a URL without a port has its scheme's default one.
    public var origin: Origin { Origin(scheme: scheme, host: host, port: port ?? Origin.defaultPort(scheme)) }
}
