import Foundation

/// A browser's cookie store: the storage model of RFC 6265bis 5.7 and the retrieval of 5.8.3.
///
/// A value: copy it to branch, mutate it to receive cookies. Time comes in as an argument.
public struct CookieJar: Sendable {
    /// 5.6.1/5.6.2: browsers cap a cookie's lifetime at 400 days.
    public static let lifetimeCap: Int64 = 400 * 86_400
    /// Chromium's per-domain limit; the oldest cookie of the domain goes first beyond it.
    public static let maxCookiesPerDomain = 180
    /// Chromium's whole-store limit; the oldest cookie goes first beyond it.
    public static let maxCookies = 3000

    private var cookiesByDomain: [String: [StoredCookie]] = [:]
    private var count = 0
    /// Cookies the store's limits removed so far (`maxCookiesPerDomain`, `maxCookies`): while it is 0,
    /// every cookie stored and not deleted is still held.
    public private(set) var evictions = 0
    private var nextSequence: UInt64 = 0
    private let publicSuffixes: any PublicSuffixList

    public init(publicSuffixes: any PublicSuffixList = SystemPublicSuffixList.shared) {
        self.publicSuffixes = publicSuffixes
    }

    /// Parses and stores one `Set-Cookie` value received in a response from `url` (or, with a script
    /// `context`, one `document.cookie` write in a document at `url`).
    public mutating func receive(
        setCookie header: String, from url: CookieURL, at now: Date, context: CookieContext = .topLevel
    ) -> StorageOutcome {
        do throws(CookieRejection) {
            let parsed = try SetCookie(parsing: header)
            return StorageOutcome(setCookie: parsed, decision: store(parsed, from: url, at: now, context: context))
        } catch {
            return StorageOutcome(setCookie: nil, decision: .rejected(error))
        }
    }

    /// Parses and stores one `Set-Cookie` value given as raw header bytes.
    public mutating func receive<Bytes: Collection<UInt8>>(
        setCookieBytes bytes: Bytes, from url: CookieURL, at now: Date, context: CookieContext = .topLevel
    ) -> StorageOutcome {
        do throws(CookieRejection) {
            let parsed = try SetCookie(parsingBytes: bytes)
            return StorageOutcome(setCookie: parsed, decision: store(parsed, from: url, at: now, context: context))
        } catch {
            return StorageOutcome(setCookie: nil, decision: .rejected(error))
        }
    }

    /// The storage model, RFC 6265bis 5.7, for a header already parsed.
    public mutating func store(
        _ setCookie: SetCookie, from url: CookieURL, at now: Date, context: CookieContext = .topLevel
    ) -> StorageDecision {
        if let refused = Self.refusal(of: setCookie, in: context, from: url) { return .rejected(refused) }
        switch Self.admit(setCookie, from: url, at: now, publicSuffixes: publicSuffixes) {
        case .failure(let rejection):
            return .rejected(rejection)
        case .success(let cookie):
            if !url.isSecure && !cookie.secure, let shadowed = shadowedSecureCookie(for: cookie) {
                return .rejected(
                    CookieRejection(
                        .shadowsSecureCookie, cookieName: cookie.name,
                        subject: "\(url.scheme)://\(url.host)", context: shadowed.domain + shadowed.path))
            }
            let expired = cookie.expires.map { $0 <= now } ?? false
            let decision = Self.place(
                cookie, expired: expired, in: &cookiesByDomain[cookie.domain, default: []], sequence: nextSequence)
            switch decision {
            case .stored(_, replaced: false):
                nextSequence += 1
                count += 1
                if count > Self.maxCookies || count > Self.maxCookiesPerDomain { enforceLimits(domain: cookie.domain) }
            case .deleted(_, existed: true):
                count -= 1
                if cookiesByDomain[cookie.domain]?.isEmpty == true { cookiesByDomain[cookie.domain] = nil }
            case .deleted(_, existed: false):
                if cookiesByDomain[cookie.domain]?.isEmpty == true { cookiesByDomain[cookie.domain] = nil }
            default:
                break
            }
            return decision
        }
    }

    /// 5.7 steps 22-23 inside one domain's list: replace (keeping the creation time), delete, or append.
    private static func place(
        _ cookie: consuming StoredCookie, expired: Bool, in list: inout [StoredCookie], sequence: UInt64
    ) -> StorageDecision {
        // A plain loop over the buffer: `firstIndex` with a closure copied each stored cookie (four
        // retains), and the lengths are compared before any bytes.
        let hostOnly = cookie.hostOnly
        let name = cookie.name
        let path = cookie.path
        let nameCount = name.utf8.count
        let pathCount = path.utf8.count
        let existing: Int? = list.withUnsafeBufferPointer { stored in
            for i in stored.indices
            where stored[i].hostOnly == hostOnly && stored[i].name.utf8.count == nameCount
                && stored[i].path.utf8.count == pathCount && stored[i].name.sameBytes(as: name)
                && stored[i].path.sameBytes(as: path)
            {
                return i
            }
            return nil
        }
        if expired {  // 5.7: an expired cookie is a deletion
            if let existing { list.remove(at: existing) }
            return .deleted(cookie.key, existed: existing != nil)
        }
        if let existing {
            cookie.creation = list[existing].creation
            cookie.creationSequence = list[existing].creationSequence
            list[existing] = copy cookie
            return .stored(cookie, replaced: true)
        }
        cookie.creationSequence = sequence
        list.append(copy cookie)
        return .stored(cookie, replaced: false)
    }

    /// The cookies a browser sends to `url`, in `Cookie` header order (5.8.3): longer paths first,
    /// then earlier creation.
    public func cookies(for url: CookieURL, at now: Date) -> [StoredCookie] {
        var matches: [StoredCookie] = []
        var domain = Substring(url.host)
        while true {
            for cookie in cookiesByDomain[String(domain)] ?? [] where cookie.expires.map({ $0 > now }) ?? true {
                let hostMatches = cookie.hostOnly ? cookie.domain.sameBytes(as: url.host) : true
                guard hostMatches, !cookie.secure || url.isSecure,
                    CookieMatching.pathMatches(requestPath: url.path, cookiePath: cookie.path)
                else { continue }
                matches.append(cookie)
            }
            guard !url.isIPAddress, let dot = domain.firstIndex(of: ".") else { break }
            domain = domain[domain.index(after: dot)...]
        }
        return matches.sorted {
            $0.path.utf8.count != $1.path.utf8.count
                ? $0.path.utf8.count > $1.path.utf8.count : $0.creationSequence < $1.creationSequence
        }
    }

    /// The `Cookie` header value a browser sends to `url`, or nil when it sends none.
    public func cookieHeader(for url: CookieURL, at now: Date) -> String? {
        let cookies = cookies(for: url, at: now)
        guard !cookies.isEmpty else { return nil }
        // 5.8.3: a cookie with an empty name is serialised as its value alone.
        return cookies.map { $0.name.isEmpty ? $0.value : "\($0.name)=\($0.value)" }.joined(separator: "; ")
    }

    /// Whether the jar holds a cookie with this identity, expired or not: a cookie stored during a visit
    /// and not held at its end was deleted by the site or evicted by the store's limits.
    public func holds(_ key: StoredCookie.Key) -> Bool {
        cookiesByDomain[key.domain]?.contains { $0.key == key } ?? false
    }

    /// Every cookie still alive at `now`, in creation order.
    public func allCookies(at now: Date) -> [StoredCookie] {
        cookiesByDomain.values.joined().filter { $0.expires.map { $0 > now } ?? true }
            .sorted { $0.creationSequence < $1.creationSequence }
    }

    // MARK: - The storage rules

    /// 5.7 steps 11 and 15, the rules that depend on how the cookie arrived rather than on the header.
    static func refusal(of sc: SetCookie, in context: CookieContext, from url: CookieURL) -> CookieRejection? {
        if context.fromScript && sc.httpOnly {
            return CookieRejection(.httpOnlyFromScript, cookieName: sc.name)
        }
        if context.crossSite && sc.sameSite != .none {
            let given = sc.sameSite == .default ? "unspecified (Lax by default)" : sc.sameSite.rawValue.capitalized
            return CookieRejection(
                .sameSiteCrossSite, cookieName: sc.name, subject: given, context: "\(url.scheme)://\(url.host)")
        }
        return nil
    }

    /// 5.7 steps 2-22 that need only the header and the request URL.
    static func admit(_ sc: SetCookie, from url: CookieURL, at now: Date, publicSuffixes: any PublicSuffixList)
        -> Result<StoredCookie, CookieRejection>
    {
        let name = sc.name
        func reject(_ reason: CookieRejection.Reason, _ subject: String = "", _ context: String = "") -> Result<
            StoredCookie, CookieRejection
        > {
            .failure(CookieRejection(reason, cookieName: name, subject: subject, context: context))
        }
        if name.isEmpty && sc.value.isEmpty { return reject(.emptyNameAndValue) }
        // Chromium refuses a nameless cookie whose value holds '=': sent back, it would read as a name.
        if name.isEmpty && sc.value.utf8.contains(UInt8(ascii: "=")) { return reject(.namelessValueWithEquals) }

        // Expiry: Max-Age beats Expires; both capped at 400 days (5.6.1, 5.6.2).
        let latest = now.addingTimeInterval(Double(lifetimeCap))
        var expires: Date?
        if let maxAge = sc.maxAge {
            expires = maxAge <= 0 ? .distantPast : now.addingTimeInterval(Double(min(maxAge, lifetimeCap)))
        } else if let explicit = sc.expires {
            expires = min(explicit, latest)
        }

        // Domain (5.7 steps 7-10).
        var domain = url.host
        var hostOnly = true
        if let attribute = sc.domain, !attribute.isEmpty {
            guard attribute.withUTF8Bytes({ !$0.contains { $0 >= 0x80 } }) else {
                return reject(.nonASCIIDomain, attribute)
            }
            if attribute.sameBytes(as: url.host) {
                hostOnly = !url.isIPAddress ? publicSuffixes.isPublicSuffix(attribute) : true
                domain = attribute
            } else if publicSuffixes.isPublicSuffix(attribute) {
                return reject(.publicSuffixDomain, attribute)
            } else if !CookieMatching.domainMatches(host: url.host, isIPAddress: url.isIPAddress, domain: attribute) {
                return reject(.domainMismatch, attribute, url.host)
            } else {
                hostOnly = false
                domain = attribute
            }
        }

        let path: String
        switch sc.path {
        case .absolute(let given): path = given
        case .defaultPath, nil: path = url.defaultCookiePath
        }

        // 5.7 step 13: Secure only from a secure origin.
        if sc.secure && !url.isSecure {
            return reject(.secureFromInsecureOrigin, "\(url.scheme)://\(url.host)")
        }
        // 5.7 step 19, as Chromium and Firefox enforce it.
        if sc.sameSite == .none && !sc.secure {
            return reject(.sameSiteNoneWithoutSecure)
        }
        // CHIPS: Chromium rejects Partitioned without Secure.
        if sc.partitioned && !sc.secure {
            return reject(.partitionedWithoutSecure)
        }
        // 5.7 steps 20-21: cookie name prefixes, matched case-insensitively.
        let underscored = name.utf8.first == 0x5F  // only such names can carry a prefix
        if underscored && name.utf8.starts(withCaseInsensitive: "__secure-") && !sc.secure {
            return reject(.securePrefix)
        }
        if underscored && name.utf8.starts(withCaseInsensitive: "__host-") {
            guard sc.secure, hostOnly, sc.domain.map({ $0.isEmpty }) ?? true, path.sameBytes(as: "/"),
                case .absolute = sc.path
            else {
                return reject(.hostPrefix)
            }
        }
        if name.isEmpty,
            sc.value.utf8.starts(withCaseInsensitive: "__secure-")
                || sc.value.utf8.starts(withCaseInsensitive: "__host-")
        {
            return reject(.prefixInNamelessCookie)
        }

        return .success(
            StoredCookie(
                name: name, value: sc.value, domain: domain, hostOnly: hostOnly, path: path, secure: sc.secure,
                httpOnly: sc.httpOnly, sameSite: sc.sameSite, partitioned: sc.partitioned, expires: expires,
                creation: now, creationSequence: 0))
    }

    /// 5.7 step 16: a Secure cookie whose name, domain and path an insecure cookie would overwrite.
    private func shadowedSecureCookie(for cookie: StoredCookie) -> StoredCookie? {
        for (domain, cookies) in cookiesByDomain
        where CookieMatching.domainMatches(host: domain, isIPAddress: false, domain: cookie.domain)
            || CookieMatching.domainMatches(host: cookie.domain, isIPAddress: false, domain: domain)
        {
            if let hit = cookies.first(where: {
                $0.secure && $0.name.sameBytes(as: cookie.name)
                    && CookieMatching.pathMatches(requestPath: cookie.path, cookiePath: $0.path)
            }) {
                return hit
            }
        }
        return nil
    }

    private mutating func remove(domain: String, at index: Int) {
        cookiesByDomain[domain]?.remove(at: index)
        if cookiesByDomain[domain]?.isEmpty == true { cookiesByDomain[domain] = nil }
        count -= 1
        evictions += 1
    }

    /// Keeps memory bounded whatever a site sends (5,000 Set-Cookie headers in one response).
    private mutating func enforceLimits(domain: String) {
        if let cookies = cookiesByDomain[domain], cookies.count > Self.maxCookiesPerDomain,
            let oldest = cookies.indices.min(by: { cookies[$0].creationSequence < cookies[$1].creationSequence })
        {
            remove(domain: domain, at: oldest)
        }
        if count > Self.maxCookies {
            var oldest: (domain: String, index: Int, sequence: UInt64)?
            for (d, cookies) in cookiesByDomain {
                for (i, c) in cookies.enumerated() where c.creationSequence < (oldest?.sequence ?? .max) {
                    oldest = (d, i, c.creationSequence)
                }
            }
            if let oldest { remove(domain: oldest.domain, at: oldest.index) }
        }
    }
}

extension String.UTF8View {
    /// ASCII case-insensitive prefix test against a lowercase literal, on the bytes in place (walking
    /// the view by index cost about 150 instructions for `_ga`-style names).
    func starts(withCaseInsensitive prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard self.count >= count else { return false }
        let expected = prefix.utf8Start
        return String(self).withUTF8Bytes { bytes in
            for offset in 0..<count where SetCookie.asciiLowercase(bytes[offset]) != expected[offset] {
                return false
            }
            return true
        }
    }
}
