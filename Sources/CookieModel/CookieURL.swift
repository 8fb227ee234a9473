/// The parts of a request URL that the cookie rules read: scheme, canonical host, port and path.
public struct CookieURL: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`, lowercase.
    public let scheme: String
    /// Lowercase host name, or an IP address (IPv6 without brackets).
    public let host: String
    public let port: Int?
    /// The path, always starting with `/`, without query or fragment.
    public let path: String
    public let isIPAddress: Bool
    /// https, or a potentially trustworthy origin (localhost, loopback) that browsers treat as secure
    /// for cookies (RFC 6265bis 5.7 note on "secure" protocols; Chromium and Firefox both do).
    public let isSecure: Bool
    /// The path cookies without a valid `Path` attribute get (5.1.4), computed once per URL.
    public let defaultCookiePath: String

    /// Reads an absolute http or https URL; anything else is an error that says why.
    public init(parsing text: String) throws(CookieURLError) {
        let bytes = Array(text.utf8)
        func fail(_ reason: String) -> CookieURLError { CookieURLError(url: text, reason: reason) }
        guard let colon = bytes.firstIndex(of: 0x3A), colon > 0 else {
            throw fail("it has no scheme (expected http:// or https://)")
        }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw fail("scheme \"\(scheme)\" is not http or https")
        }
        guard bytes.count >= colon + 3, bytes[colon + 1] == 0x2F, bytes[colon + 2] == 0x2F else {
            throw fail("expected \"//\" after \"\(scheme):\"")
        }
        let authorityStart = colon + 3
        let authorityEnd = bytes[authorityStart...].firstIndex { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 } ?? bytes.count
        var authority = bytes[authorityStart..<authorityEnd]
        if let at = authority.lastIndex(of: 0x40) { authority = authority[(at + 1)...] }  // drop userinfo
        var hostBytes = authority
        var port: Int?
        if authority.first == 0x5B {  // [IPv6]
            guard let close = authority.firstIndex(of: 0x5D) else { throw fail("an IPv6 host is missing its \"]\"") }
            hostBytes = authority[(authority.startIndex + 1)..<close]
            let rest = authority[(close + 1)...]
            if !rest.isEmpty {
                guard rest.first == 0x3A else { throw fail("unexpected characters after the IPv6 host") }
                port = try Self.port(rest.dropFirst(), fail)
            }
            guard !hostBytes.isEmpty, hostBytes.allSatisfy({ Self.isHex($0) || $0 == 0x3A || $0 == 0x2E }) else {
                throw fail("the IPv6 host is not valid")
            }
        } else if let portColon = authority.lastIndex(of: 0x3A) {
            hostBytes = authority[..<portColon]
            port = try Self.port(authority[(portColon + 1)...], fail)
        }
        guard !hostBytes.isEmpty else { throw fail("it has no host") }
        if hostBytes.contains(where: { $0 >= 0x80 }) {
            throw fail("the host is not ASCII; give its punycode (xn--) form")
        }
        let host = String(decoding: hostBytes, as: UTF8.self).lowercased()
        let isIPv6 = authority.first == 0x5B
        if !isIPv6, let bad = host.utf8.first(where: { !(Self.isHostNameByte($0)) }) {
            throw fail("the host contains \"\(Character(Unicode.Scalar(bad)))\", which is not allowed in a host name")
        }
        let pathEnd = bytes[authorityEnd...].firstIndex { $0 == 0x3F || $0 == 0x23 } ?? bytes.count
        let path =
            authorityEnd < pathEnd && bytes[authorityEnd] == 0x2F
            ? String(decoding: bytes[authorityEnd..<pathEnd], as: UTF8.self) : "/"
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.isIPAddress = isIPv6 || Self.isIPv4(host)
        self.isSecure = scheme == "https" || Self.isPotentiallyTrustworthy(host: host)
        self.defaultCookiePath = CookieMatching.defaultPath(of: path)
    }

    /// `scheme://host[:port]path`, as the cookie rules see it.
    /// Appended piece by piece (asked for every hop of every visit: the interpolated form, with a
    /// character-by-character `contains`, cost thousands of instructions).
    public var description: String {
        let bracketed = host.utf8.contains(UInt8(ascii: ":"))
        var text = ""
        text.reserveCapacity(scheme.utf8.count + host.utf8.count + path.utf8.count + 12)
        text += scheme
        text += bracketed ? "://[" : "://"
        text += host
        if bracketed { text += "]" }
        if let port {
            text += ":"
            text += String(port)
        }
        text += path
        return text
    }

    /// localhost, `*.localhost`, 127.0.0.0/8 and ::1 (W3C Secure Contexts, "potentially trustworthy").
    public static func isPotentiallyTrustworthy(host: String) -> Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host == "::1"
            || (isIPv4(host) && host.hasPrefix("127."))
    }

    /// WHATWG URL: a host whose last label is numeric is an IPv4 address.
    static func isIPv4(_ host: String) -> Bool {
        // The last non-empty label, read backwards in place (splitting the host allocated an array
        // for every URL parsed: 2 % of a scan).
        var bytes = host.utf8[...]
        while bytes.last == 0x2E { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { return false }
        for byte in bytes.reversed() {
            if byte == 0x2E { return true }
            guard byte >= 0x30 && byte <= 0x39 else { return false }
        }
        return true
    }

    private static func port(_ digits: ArraySlice<UInt8>, _ fail: (String) -> CookieURLError) throws(CookieURLError)
        -> Int?
    {
        if digits.isEmpty { return nil }
        guard digits.count <= 5, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let n = Int(String(decoding: digits, as: UTF8.self)), n <= 65_535
        else { throw fail("the port is not a number from 0 to 65535") }
        return n
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66)
    }

    private static func isHostNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E || c == 0x5F
    }
}

/// A URL the cookie rules cannot use, and why.
public struct CookieURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public let url: String
    public let reason: String

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String { "\"\(url)\" is not a usable URL: \(reason)" }
}
