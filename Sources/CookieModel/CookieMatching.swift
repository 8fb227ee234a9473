#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The matching rules of RFC 6265bis 5.1.3 and 5.1.4, as pure functions.
///
/// Browsers compare octets. Swift's `String ==` and `hasPrefix` compare by Unicode canonical
/// equivalence ("/" followed by a combining mark is not a prefix "/"), so every comparison here is
/// on UTF-8 bytes (a fuzzing find).
public enum CookieMatching {
    /// 5.1.3: `host` domain-matches `domain` when equal, or when `domain` is a dot-separated suffix of a
    /// host name (never of an IP address).
    public static func domainMatches(host: String, isIPAddress: Bool, domain: String) -> Bool {
        let hostCount = host.utf8.count
        let domainCount = domain.utf8.count
        if hostCount == domainCount { return host.sameBytes(as: domain) }
        guard !isIPAddress, hostCount > domainCount else { return false }
        // Octets, from the end: `domain` must be a suffix of `host` with a "." just before it.
        return host.withUTF8Bytes { h in
            domain.withUTF8Bytes { d in
                guard let hp = h.baseAddress else { return false }
                let offset = hostCount - domainCount
                guard hp[offset - 1] == 0x2E else { return false }
                guard let dp = d.baseAddress else { return true }
                return memcmp(hp + offset, dp, domainCount) == 0
            }
        }
    }

    /// 5.1.4: the request path is the cookie path, or below it at a `/` boundary.
    public static func pathMatches(requestPath: String, cookiePath: String) -> Bool {
        guard requestPath.utf8.starts(with: cookiePath.utf8) else { return false }
        if requestPath.utf8.count == cookiePath.utf8.count { return true }
        if cookiePath.utf8.last == 0x2F { return true }
        let next = requestPath.utf8.index(requestPath.utf8.startIndex, offsetBy: cookiePath.utf8.count)
        return requestPath.utf8[next] == 0x2F
    }

    /// 5.1.4: the directory of the request path: "/" unless there is a second "/".
    public static func defaultPath(of requestPath: String) -> String {
        let utf8 = requestPath.utf8
        guard utf8.first == 0x2F, let lastSlash = utf8.lastIndex(of: 0x2F), lastSlash != utf8.startIndex else {
            return "/"
        }
        return String(requestPath[..<lastSlash])
    }
}

extension String {
    /// Octet equality, as browsers compare cookie names and paths (memcmp over the UTF-8 storage).
    @inline(__always)
    func sameBytes(as other: String) -> Bool {
        let count = utf8.count
        guard count == other.utf8.count else { return false }
        guard count > 0 else { return true }
        return withUTF8Bytes { x in
            other.withUTF8Bytes { y in
                guard let p = x.baseAddress, let q = y.baseAddress else { return false }
                return memcmp(p, q, count) == 0
            }
        }
    }

    /// The UTF-8 storage in place when the string has it (native and small strings), without copying the
    /// string into a `var` as `withUTF8` needs (a retain and a release on every comparison).
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}
