import Config
import Foundation
import Transport

/// One page variant to visit: where it belongs and the request that visits it.
public struct ScanTarget: Sendable {
    public var site: String
    public var page: Page
    public var variant: Variant
    public var request: VisitRequest
    /// The variant's engine, else its site's.
    public var engine: Engine = .http
    /// The login journey the variant is visited after, if it names one.
    public var login: LoginJourney?
    /// Whether this is the variant's first page in configuration order: its observation carries the
    /// login journey's own responses (where the session cookie is set), once per round.
    public var carriesLogin = false
}

/// How a configuration becomes visit requests.
public enum ScanPlan {
    /// The user agent sent unless a variant names its own: browser-like, and honest about the scanner.
    public static let defaultUserAgent = "Mozilla/5.0 (X11; Linux x86_64) cookiewatch/0.1"

    /// Every page variant of the configuration (or of one site), in configuration order.
    public static func targets(_ configuration: Configuration, site: String? = nil) throws(ScanPlanError)
        -> [ScanTarget]
    {
        let sites = configuration.sites.filter { site == nil || $0.name == site }
        if let site, sites.isEmpty {
            throw ScanPlanError(
                message:
                    "no site named \"\(site)\" in \(configuration.file) (sites: \(configuration.sites.map(\.name).joined(separator: ", ")))"
            )
        }
        let limits = fetchLimits(configuration)
        var targets: [ScanTarget] = []
        for site in sites {
            var signedIn: Set<Variant> = []
            for page in site.pages {
                for variant in page.variants {
                    var target = ScanTarget(
                        site: site.name, page: page, variant: variant,
                        request: try request(page: page, variant: variant, limits: limits),
                        engine: variant.engine ?? site.engine)
                    if let name = variant.login {
                        target.login = site.login(named: name)
                        target.carriesLogin = signedIn.insert(variant).inserted
                    }
                    targets.append(target)
                }
            }
        }
        return targets
    }

    /// The transport's limits from the configuration's.
    public static func fetchLimits(_ configuration: Configuration) -> FetchLimits {
        var limits = FetchLimits()
        limits.connectTimeout = configuration.limits.connectTimeout
        limits.visitTimeout = configuration.limits.totalTimeout
        limits.maxRedirects = configuration.limits.maxRedirects
        limits.bodyCap = configuration.limits.bodyCapBytes
        limits.addressPolicy = AddressPolicy(allowed: configuration.allowedPrivateNetworks)
        limits.resolve = configuration.resolve
        return limits
    }

    /// The variant's headers and cookies; header values from files (credentials) are read now.
    static func request(page: Page, variant: Variant, limits: FetchLimits) throws(ScanPlanError) -> VisitRequest {
        var headers: [(name: String, value: String)] = [("User-Agent", variant.userAgent ?? defaultUserAgent)]
        if let language = variant.acceptLanguage { headers.append(("Accept-Language", language)) }
        headers += variant.headers.map { ($0.name, $0.value) }
        for file in variant.headerFiles {
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw ScanPlanError(
                    message: "\(page.url) [\(variant.name)]: cannot read the \(file.name) header file \(file.path)")
            }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            headers.append((file.name, value))
        }
        return VisitRequest(
            url: page.url, headers: headers, cookies: variant.cookies.map { ($0.name, $0.value) }, limits: limits)
    }
}

/// A configuration that cannot be scanned as asked (an unknown site, an unreadable credential file).
public struct ScanPlanError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
