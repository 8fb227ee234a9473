import CLibPSL
import Synchronization

/// Public suffix lookups (co.uk, github.io ...): cookies may not be set for a public suffix.
public protocol PublicSuffixList: Sendable {
    /// Whether `domain` (lowercase, no leading dot) is a public suffix.
    func isPublicSuffix(_ domain: String) -> Bool
    /// The registrable domain (eTLD+1) of `host`, or nil for a public suffix or an IP address.
    func registrableDomain(_ host: String) -> String?
}

/// libpsl with the newest of its built-in data and the system's list (Debian's `publicsuffix`).
public final class SystemPublicSuffixList: PublicSuffixList {
    /// Loaded once per process; libpsl contexts are read-only after loading, so sharing is safe.
    public static let shared = SystemPublicSuffixList()

    private nonisolated(unsafe) let context: OpaquePointer?
    /// libpsl costs a few thousand instructions a lookup and sites repeat their Domain values.
    private let answers = Mutex<[String: Bool]>([:])
    /// The same for registrable domains: every cookie of every page is placed (first or third party).
    private let domains = Mutex<[String: String?]>([:])
    private static let maxCachedAnswers = 4096

    private init() {
        // psl_latest(NULL) reads the distribution's list file; psl_builtin() is the compiled-in fallback.
        context = psl_latest(nil) ?? psl_builtin()
    }

    deinit { if let context { psl_free(context) } }

    /// True when libpsl has data (false would mean every domain is accepted: callers may report that).
    public var isLoaded: Bool { context != nil }

    public func isPublicSuffix(_ domain: String) -> Bool {
        guard let context else { return false }
        if let known = answers.withLock({ $0[domain] }) { return known }
        // PSL_TYPE_ANY: ICANN and private sections, as browsers use both; the "*" rule makes an
        // unlisted top-level label a public suffix too.
        let answer = psl_is_public_suffix2(context, domain, cw_psl_type_any) != 0
        answers.withLock { cache in
            if cache.count >= Self.maxCachedAnswers { cache.removeAll(keepingCapacity: true) }
            cache[domain] = answer
        }
        return answer
    }

    public func registrableDomain(_ host: String) -> String? {
        guard let context else { return nil }
        if let known = domains.withLock({ $0[host] }) { return known }
        // The result points into the argument, so it is copied while the C string is alive.
        let domain = host.withCString { cHost in psl_registrable_domain(context, cHost).map { String(cString: $0) } }
        domains.withLock { cache in
            if cache.count >= Self.maxCachedAnswers { cache.removeAll(keepingCapacity: true) }
            cache[host] = .some(domain)
        }
        return domain
    }
}
