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
        if let last, Self.hasAuthority(url, last.authority) { return last.host }
        guard let end = Self.authorityEnd(url) else { return try? CookieURL(parsing: url).host }
        let key = String(Substring(url.utf8[..<end]))
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

    /// Whether `url` begins with `authority` (its scheme and authority) followed by its end, `/`, `?`
    /// or `#`: the bytes compared in place.
    private static func hasAuthority(_ url: String, _ authority: String) -> Bool {
        let found = url.utf8.withContiguousStorageIfAvailable { bytes in
            authority.utf8.withContiguousStorageIfAvailable { prefix -> Bool in
                guard bytes.count >= prefix.count, prefix.elementsEqual(bytes[..<prefix.count]) else { return false }
                guard bytes.count > prefix.count else { return true }
                let next = bytes[prefix.count]
                return next == UInt8(ascii: "/") || next == UInt8(ascii: "?") || next == UInt8(ascii: "#")
            }
        }
        return (found ?? nil) ?? false
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
