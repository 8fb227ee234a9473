import CookieModel

/// The hosts of page URLs, each URL parsed only when its scheme and authority (the text before the
/// first `/`, `?` or `#` after `://`) are new: a site's pages share a few, and parsing each of 100,000
/// URLs again was most of building the daemon's jobs and a round's audit.
public struct PageHosts: Sendable {
    private var byAuthority: [String: String] = [:]
    /// The last authority looked up and its host: consecutive pages mostly share it, and comparing its
    /// bytes costs less than hashing them.
    private var last: (authority: String, host: String)?

    public init() {}

    /// The host of `url` as `CookieURL` gives it; nil when it does not parse.
    public mutating func host(of url: String) -> String? {
        guard let end = Self.authorityEnd(url) else { return try? CookieURL(parsing: url).host }
        let authority = url.utf8[..<end]
        if let last, authority.elementsEqual(last.authority.utf8) { return last.host }
        let key = String(Substring(authority))
        if let known = byAuthority[key] {
            last = (key, known)
            return known
        }
        // Only a host is remembered: a URL that does not parse leaves the next one of its authority to be
        // parsed (its own verdict stands).
        guard let host = try? CookieURL(parsing: url).host else { return nil }
        byAuthority[key] = host
        last = (key, host)
        return host
    }

    /// Where the authority of `url` ends (its first `/`, `?` or `#` after `://`); nil without `://`.
    private static func authorityEnd(_ url: String) -> String.Index? {
        let utf8 = url.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")),
            utf8[colon...].starts(with: "://".utf8)
        else { return nil }
        let authority = utf8.index(colon, offsetBy: 3)
        return utf8[authority...].firstIndex {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        }
            ?? utf8.endIndex
    }
}
