import Charter
import CookieModel
import Foundation
import Knowledge

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
    /// The most findings one page variant may open or join; the rest are counted, not listed, so that
    /// one hostile page (5,000 `Set-Cookie` headers) cannot flood the output, alerts or history.
    public var findingsPerPage: Int = SiteAudit.defaultFindingsPerPage
    public static let defaultFindingsPerPage = 100
    /// Evidence entries a finding keeps: those of its first pages in configuration order.
    public static let evidencePerFinding = 5
    /// What the Open Cookie Database says undeclared cookies usually are: a suggestion in their
    /// findings' evidence (`knownAs`), never a verdict. nil leaves it out.
    public var knowledge: CookieKnowledge?

    public init(
        site: String, charters: CharterSet, policy: Policy, pageURLs: [CookieURL],
        publicSuffixes: any PublicSuffixList = SystemPublicSuffixList.shared
    ) {
        self.init(
            site: site, charters: charters, policy: policy, pageHosts: pageURLs.lazy.map(\.host),
            publicSuffixes: publicSuffixes)
    }

    /// `pageHosts`: the hosts of the site's configured pages, read once (a site has a handful of
    /// registrable domains however many pages it has).
    public init(
        site: String, charters: CharterSet, policy: Policy, pageHosts: some Sequence<String>,
        publicSuffixes: any PublicSuffixList = SystemPublicSuffixList.shared
    ) {
        self.site = site
        self.charters = charters
        self.policy = policy
        self.publicSuffixes = publicSuffixes
        var domains: Set<String> = []
        for host in pageHosts { domains.insert(publicSuffixes.registrableDomain(host) ?? host) }
        self.firstPartyDomains = domains
    }

    /// Findings sorted by severity (highest first), then kind and cookie; cookies sorted by name.
    public func run(_ observations: [PageObservation], now: Date) -> AuditResult {
        var audit = Incremental(self, now: now)
        for (order, observation) in observations.enumerated() { audit.record(observation, order: order, now: now) }
        return audit.takeResult()
    }

    /// The same audit fed one observation at a time, as visits complete, so that a scan keeps no
    /// observation once recorded. `order` is the page variant's place in the configuration: the result
    /// is the same whatever order the observations arrive in.
    public struct Incremental: Sendable {
        private var pass: AuditPass

        public init(_ audit: SiteAudit, now: Date) { pass = AuditPass(audit: audit, now: now) }

        /// `now` stands in for a response's missing `Date` header.
        public mutating func record(_ observation: PageObservation, order: Int, now: Date) {
            pass.record(observation, order: order, now: now)
        }

        /// Page variants recorded, and how many of them failed.
        public var recorded: Int { pass.recorded }
        public var failed: Int { pass.failed }

        public func result() -> AuditResult {
            var finished = self
            return finished.takeResult()
        }

        /// `result()` without copying the pass: the page lists are sorted where they are. The audit is
        /// spent afterwards (a scan takes it once, at the end).
        public mutating func takeResult() -> AuditResult {
            pass.reportUnseenEntries()
            return pass.takeResult()
        }
    }

    func registrableDomain(of host: String) -> String { publicSuffixes.registrableDomain(host) ?? host }
}

/// What one pass produced.
public struct AuditResult: Sendable {
    public var findings: [Finding]
    public var cookies: [AuditedCookie]
    /// Per page over the cap, what was left out of `findings`; sorted by page.
    public var omitted: [OmittedFindings] = []

    /// The most severe finding's severity, nil when there is none.
    public var highestSeverity: Severity? { findings.map(\.severity).max() }
}

/// The findings a page variant would have opened or joined beyond `SiteAudit.findingsPerPage` (counted
/// per visit: a page variant configured twice adds up both visits' counts).
public struct OmittedFindings: Sendable, Hashable {
    public var page: PageRef
    public var count: Int
    /// The most severe of them: a left-out finding still counts for a gate.
    public var highestSeverity: Severity?

    public init(page: PageRef, count: Int, highestSeverity: Severity?) {
        self.page = page
        self.count = count
        self.highestSeverity = highestSeverity
    }
}
