import Audit
import Config
import CookieModel
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

    /// Every page variant of the configuration (or of one site), in configuration order. Header files
    /// (credentials) are read now, each once, so that an unreadable one stops the scan before any visit.
    public static func targets(_ configuration: Configuration, site: String? = nil) throws(ScanPlanError)
        -> ScanTargets
    {
        let sites = configuration.sites.filter { site == nil || $0.name == site }
        if let site, sites.isEmpty {
            throw ScanPlanError(
                message:
                    "no site named \"\(site)\" in \(configuration.file) (sites: \(configuration.sites.map(\.name).joined(separator: ", ")))"
            )
        }
        var slots: [ScanTargets.Slot] = []
        var headerFiles: [String: String] = [:]
        for (siteIndex, site) in sites.enumerated() {
            var signedIn: Set<Variant> = []
            for (pageIndex, page) in site.pages.enumerated() {
                for (variantIndex, variant) in page.variants.enumerated() {
                    for file in variant.headerFiles where headerFiles[file.path] == nil {
                        headerFiles[file.path] = try readHeaderFile(file, page: page, variant: variant)
                    }
                    slots.append(
                        ScanTargets.Slot(
                            site: Int32(siteIndex), page: Int32(pageIndex), variant: Int32(variantIndex),
                            carriesLogin: variant.login != nil && signedIn.insert(variant).inserted))
                }
            }
        }
        return ScanTargets(sites: sites, slots: slots, headerFiles: headerFiles, limits: fetchLimits(configuration))
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

    /// A header file's value, trimmed; an unreadable file, or a value with a line break or NUL inside
    /// (it would end the header and start another: request splitting), names the page variant that needs it.
    static func readHeaderFile(_ file: Variant.HeaderFile, page: Page, variant: Variant) throws(ScanPlanError)
        -> String
    {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ScanPlanError(
                message: "\(page.url) [\(variant.name)]: cannot read the \(file.name) header file \(file.path)")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw ScanPlanError(
                message:
                    "\(page.url) [\(variant.name)]: the \(file.name) header file \(file.path) holds a line break or NUL inside its value"
            )
        }
        return value
    }

    /// The variant's headers and cookies; header file values, taken from `headerFiles` (read by `targets`),
    /// are credentials bound to the page's origin.
    static func request(page: Page, variant: Variant, headerFiles: [String: String], limits: FetchLimits)
        -> VisitRequest
    {
        var headers: [(name: String, value: String)] = [("User-Agent", variant.userAgent ?? defaultUserAgent)]
        if let language = variant.acceptLanguage { headers.append(("Accept-Language", language)) }
        headers += variant.headers.map { ($0.name, $0.value) }
        var request = VisitRequest(
            url: page.url, headers: headers, cookies: variant.cookies.map { ($0.name, $0.value) }, limits: limits)
        // The configuration only holds http(s) page URLs; one that would not parse gets no credentials.
        if !variant.headerFiles.isEmpty, let origin = try? CookieURL(parsing: page.url).origin {
            request.credentials = CredentialHeaders(
                origin: origin, headers: variant.headerFiles.map { ($0.name, headerFiles[$0.path] ?? "") })
        }
        return request
    }
}

/// Every page variant to visit, in configuration order, each `ScanTarget` built when it is read: a scan
/// holds 16 bytes per page variant here and whole targets only for the visits in flight (a target with
/// its request is about 1 KiB; 100,000 of them built up front were most of a large scan's memory).
public struct ScanTargets: RandomAccessCollection, Sendable {
    struct Slot: Sendable {
        var site: Int32
        var page: Int32
        var variant: Int32
        /// The variant's first page in configuration order: it carries its login journey's responses.
        var carriesLogin: Bool
    }

    let sites: [Site]
    let slots: [Slot]
    let headerFiles: [String: String]
    let limits: FetchLimits

    public var startIndex: Int { 0 }
    public var endIndex: Int { slots.count }

    /// The names of the sites scanned (a valid configuration gives every site a page variant).
    public var siteNames: Set<String> { Set(sites.map(\.name)) }

    /// The site of the target at `position`, without building the target.
    public func site(at position: Int) -> String { sites[Int(slots[position].site)].name }

    /// The page variant at `position`, without building the target.
    public func page(at position: Int) -> PageRef {
        let slot = slots[position]
        let page = sites[Int(slot.site)].pages[Int(slot.page)]
        return PageRef(url: page.url, variant: page.variants[Int(slot.variant)].name)
    }

    public subscript(position: Int) -> ScanTarget {
        let slot = slots[position]
        let site = sites[Int(slot.site)]
        let page = site.pages[Int(slot.page)]
        let variant = page.variants[Int(slot.variant)]
        var target = ScanTarget(
            site: site.name, page: page, variant: variant,
            request: ScanPlan.request(page: page, variant: variant, headerFiles: headerFiles, limits: limits),
            engine: variant.engine ?? site.engine)
        if let name = variant.login {
            target.login = site.login(named: name)
            target.carriesLogin = slot.carriesLogin
        }
        return target
    }
}

/// A configuration that cannot be scanned as asked (an unknown site, an unreadable credential file).
public struct ScanPlanError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
