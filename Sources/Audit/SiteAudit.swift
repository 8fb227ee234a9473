import Charter
import CookieModel
import Foundation

/// The audit of one site's scan pass: observations + charters + policy → findings and a cookie table.
///
/// Pure: the clock is an argument (used only where a response had no `Date`), public suffixes come in.
public struct SiteAudit: Sendable {
    public var site: String
    public var charters: CharterSet
    public var policy: Policy
    /// Registrable domains of the site's configured pages: cookies set by other hosts are third-party.
    public var firstPartyDomains: Set<String>
    public var publicSuffixes: any PublicSuffixList

    public init(
        site: String, charters: CharterSet, policy: Policy, pageURLs: [CookieURL],
        publicSuffixes: any PublicSuffixList = SystemPublicSuffixList.shared
    ) {
        self.site = site
        self.charters = charters
        self.policy = policy
        self.publicSuffixes = publicSuffixes
        self.firstPartyDomains = Set(pageURLs.map { publicSuffixes.registrableDomain($0.host) ?? $0.host })
    }

    /// Findings sorted by severity (highest first), then kind and cookie; cookies sorted by name.
    public func run(_ observations: [PageObservation], now: Date) -> AuditResult {
        var pass = AuditPass(audit: self, now: now)
        for observation in observations { pass.record(observation) }
        pass.reportUnseenEntries(observations)
        return pass.result()
    }

    func registrableDomain(of host: String) -> String { publicSuffixes.registrableDomain(host) ?? host }
}

/// What one pass produced.
public struct AuditResult: Sendable {
    public var findings: [Finding]
    public var cookies: [AuditedCookie]

    /// The most severe finding's severity, nil when there is none.
    public var highestSeverity: Severity? { findings.map(\.severity).max() }
}
