/// The matching rules of RFC 6265bis 5.1.3 and 5.1.4, as pure functions.
public enum CookieMatching {
    /// 5.1.3: `host` domain-matches `domain` when equal, or when `domain` is a dot-separated suffix of a
    /// host name (never of an IP address).
    public static func domainMatches(host: String, isIPAddress: Bool, domain: String) -> Bool {
        if host == domain { return true }
        guard !isIPAddress, host.utf8.count > domain.utf8.count, host.hasSuffix(domain) else { return false }
        let dot = host.utf8.index(host.utf8.endIndex, offsetBy: -(domain.utf8.count + 1))
        return host.utf8[dot] == 0x2E
    }

    /// 5.1.4: the request path is the cookie path, or below it at a `/` boundary.
    public static func pathMatches(requestPath: String, cookiePath: String) -> Bool {
        if requestPath == cookiePath { return true }
        guard requestPath.hasPrefix(cookiePath) else { return false }
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
