import Charter
import CookieModel
import Foundation
import Knowledge

/// The mutable state of one audit run: findings grouped by subject, the cookie table, entries seen.
///
/// Observations may arrive in any order (as visits complete); each comes with its `order`, the page
/// variant's place in the configuration. Where several pages could speak for a finding's message or a
/// cookie's first-seen attributes, the earliest in that order does, so the result never depends on
/// which visit finished first. Memory grows with distinct findings and cookies, and by 4 bytes per
/// page listed plus 36 per observation (its page in the table, its finding count).
struct AuditPass: Sendable {
    let audit: SiteAudit
    /// Where a response has no `Date`, lifetimes count from this: the time the observation was recorded.
    private var now: Date
    /// The order of the observation being recorded.
    private var current = 0
    private(set) var recorded = 0
    private(set) var failed = 0
    /// Observations made by an engine that runs scripts: script-set entries are then expected.
    private var scripted = 0
    /// Observations of signed-in variants: entries observable after login are then expected.
    private var signedIn = 0
    /// Each finding and cookie row with its pages, as indices into `pageTable` (see `PageList`).
    /// In the order they were opened; `findingSlots` finds one by kind and subject. An array element is
    /// read and changed in place, where a dictionary's values subscript copied the whole row to read a
    /// field (a visit joins several findings).
    private var findings: [Listed<Finding>] = []
    private var findingSlots: [FindingKey: Int] = [:]
    /// Each cookie row, in the order they were opened, and its place by name and domain (in place by
    /// index as the findings: through a dictionary's values each visit copied rows out to read them).
    private var cookies: [Listed<AuditedCookie>] = []
    private var cookieSlots: [CookieKey: Int] = [:]
    private var seenEntries: Set<EntryKey> = []
    /// The page of each recorded observation: page lists hold indices into it.
    private var pageTable: [PageRef] = []
    /// How many findings each recorded observation's page has opened or joined (by index in
    /// `pageTable`), and what its cap left out.
    private var perPage: [Int32] = []
    private var omitted: [PageRef: OmittedFindings] = [:]

    init(audit: SiteAudit, now: Date) {
        self.audit = audit
        self.now = now
    }

    mutating func record(_ observation: PageObservation, order: Int, now: Date) {
        self.now = now
        current = order
        recorded += 1
        pageTable.append(observation.page)
        perPage.append(0)
        if observation.runsScripts { scripted += 1 }
        if observation.signedIn { signedIn += 1 }
        if let failure = observation.failure {
            failed += 1
            add(
                .scanError, cookie: nil, subject: observation.page.description,
                message: "\(observation.page) could not be fetched: \(failure.code): \(failure.message)",
                page: observation.page
            ) {
                Evidence(
                    page: observation.page, hopURL: failure.url, status: observation.hops.last?.status ?? 0,
                    attributes: ["failure": failure.code])
            }
        }
        for hop in observation.hops {
            // The hop's registrable domain, and whether it is first party: once per hop, not per cookie.
            var party: HopParty?
            for outcome in hop.outcomes {
                switch outcome.decision {
                case .stored(let cookie, _):
                    // A cookie the store evicted in the same visit is one a browser never keeps.
                    guard observation.evicted.isEmpty || !observation.evicted.contains(cookie.key) else { continue }
                    guard let setCookie = outcome.setCookie else { continue }
                    let hopParty = party ?? HopParty(audit, hop)
                    party = hopParty
                    evaluate(cookie, setCookie, hop, hopParty, observation)
                case .rejected(let rejection):
                    let name = rejection.cookieName ?? "(unnamed)"
                    add(
                        .rejectedByBrowser, cookie: name, subject: "\(name)\u{0}\(rejection.reason.rawValue)",
                        message:
                            "browsers reject the Set-Cookie for \"\(name)\" from \(hop.url.host): \(rejection.message)",
                        page: observation.page
                    ) {
                        Evidence(
                            page: observation.page, hopURL: hop.url.description, status: hop.status,
                            attributes: ["reason": rejection.reason.rawValue])
                    }
                case .deleted:
                    continue
                }
            }
        }
    }

    /// Every check that one stored cookie can fail.
    private mutating func evaluate(
        _ cookie: StoredCookie, _ setCookie: SetCookie, _ hop: ObservedHop, _ party: HopParty,
        _ observation: PageObservation
    ) {
        let page = observation.page
        let lifetime = setCookie.requestedLifetime(from: hop.date ?? now)
        let name = cookie.name
        let match = audit.charters.match(cookieName: name)
        let knowledge: CookieKnowledge? =
            if case .none = match { audit.knowledge } else { nil }
        // Built only where a finding keeps it (its first pages): most visits join findings that have
        // their evidence already, and building it (attributes, the value's shape) was most of the audit.
        let evidence = {
            var attributes = Self.attributes(of: cookie, lifetime: lifetime, source: hop)
            if let knowledge { Self.addKnown(knowledge.lookup(name), to: &attributes) }
            return Evidence(
                page: page, hopURL: hop.url.description, status: hop.status, attributes: attributes,
                valueLength: cookie.value.utf8.count, valueShape: CookieValueShape.describe(cookie.value))
        }
        var kinds = FindingKinds()
        func flag(_ kind: FindingKind, _ message: @autoclosure () -> String, subject: String? = nil) {
            kinds.insert(kind)
            add(kind, cookie: name, subject: subject ?? name, message: message(), page: page, evidence: evidence)
        }

        let hopDomain = party.domain
        let thirdParty = party.thirdParty
        switch match {
        case .none:
            if thirdParty {
                flag(
                    .thirdParty,
                    "\"\(name)\" is set by \(hop.url.host), outside the site's domains, and the charter does not declare it",
                    subject: "\(name)\u{0}\(hopDomain)")
            } else {
                flag(
                    .undeclared,
                    "\"\(name)\" is stored\(hop.afterLogin ? " after login" : "") but the charter does not declare it")
            }
        case .ambiguous(let entries):
            // Each entry did declare the cookie, so none of them is "declared but not seen".
            for matched in entries { seenEntries.insert(Self.entryKey(matched.charter, matched.entry)) }
            let names = entries.map(\.located).joined(separator: ", ")
            flag(.ambiguousDeclaration, "\"\(name)\" matches several charter entries: \(names)")
        case .exact(let matched), .pattern(let matched):
            seenEntries.insert(Self.entryKey(matched.charter, matched.entry))
            // Static: a method on self here would make Swift copy the whole pass for each cookie (the
            // closure mutates self while the method reads it), which made a scan quadratic in pages.
            Self.check(
                cookie, lifetime: lifetime, against: matched.entry, consentGiven: observation.consentGiven,
                choice: hop.choice, page: page, policy: audit.policy, flag: flag)
        }
        if let lifetime, lifetime > Int64(audit.policy.lifetimeLimit) {
            flag(
                .lifetimeExceedsLimit,
                "\"\(name)\" lives \(LifetimeText.describe(lifetime)), beyond the policy limit of \(LifetimeText.describe(Int64(audit.policy.lifetimeLimit)))"
            )
        }
        if hop.url.scheme == "https" && !cookie.secure {
            flag(.insecureAttributes, "\"\(name)\" is set over https without the Secure attribute")
        }
        recordCookie(cookie, lifetime: lifetime, hop: hop, entry: match.entry, kinds: kinds)
    }

    /// The checks a declared cookie answers to: consent, declared lifetime, expected attributes.
    private static func check(
        _ cookie: StoredCookie, lifetime: Int64?, against entry: CharterEntry, consentGiven: Bool,
        choice: ConsentChoice?, page: PageRef, policy: Policy,
        flag: (FindingKind, @autoclosure () -> String, String?) -> Void
    ) {
        let name = cookie.name
        let needsConsent = policy.requiresConsent(entry.category) && !entry.consentExempt
        switch choice {
        case .refuse where needsConsent:
            flag(
                .setAfterRefusal,
                "\"\(name)\" (\(entry.category.rawValue)) is stored after the visitor refused consent, on variant \"\(page.variant)\"",
                nil)
        case nil where needsConsent && !consentGiven:
            flag(
                .setBeforeConsent,
                "\"\(name)\" (\(entry.category.rawValue)) is stored before consent, on variant \"\(page.variant)\"", nil
            )
        default:
            break
        }
        if let declared = entry.duration, let lifetime {
            let allowed = declared.seconds.map { Int64($0 + policy.durationTolerance) } ?? 0
            if lifetime > allowed {
                flag(
                    .lifetimeExceedsDeclared,
                    "\"\(name)\" lives \(LifetimeText.describe(lifetime)); the charter declares \"\(declared.text)\"",
                    nil)
            }
        }
        if let expect = entry.expect {
            var mismatches: [String] = []
            if let secure = expect.secure, secure != cookie.secure {
                mismatches.append("Secure \(cookie.secure ? "set" : "missing")")
            }
            if let httpOnly = expect.httpOnly, httpOnly != cookie.httpOnly {
                mismatches.append("HttpOnly \(cookie.httpOnly ? "set" : "missing")")
            }
            if let sameSite = expect.sameSite, sameSite != cookie.sameSite {
                mismatches.append("SameSite=\(cookie.sameSite.rawValue), expected \(sameSite.rawValue)")
            }
            if !mismatches.isEmpty {
                flag(
                    .attributeMismatch,
                    "\"\(name)\" does not have the declared attributes: \(mismatches.joined(separator: ", "))", nil)
            }
        }
        if let domain = entry.domain,
            !CookieMatching.domainMatches(host: cookie.domain, isIPAddress: false, domain: domain.lowercased())
        {
            flag(
                .attributeMismatch, "\"\(name)\" is set for \(cookie.domain); the charter declares \(domain)",
                "\(name)\u{0}domain")
        }
    }

    /// `declared-not-seen` for entries no page set that the scan could see (set by headers; by scripts
    /// once a page ran them; after login once a variant was signed in), unless a page failed (a failed
    /// page never makes cookies "not seen").
    mutating func reportUnseenEntries() {
        guard recorded > 0, failed == 0 else { return }
        for charter in audit.charters.charters {
            for entry in charter.entries {
                let how: String
                switch entry.observable {
                case .header: how = "as set by headers"
                case .script where scripted > 0: how = "as set by scripts"
                case .afterLogin where signedIn > 0: how = "as set after login"
                default: continue
                }
                let key = Self.entryKey(charter.identity, entry)
                guard !seenEntries.contains(key) else { continue }
                add(
                    .declaredNotSeen, cookie: entry.name.text, subject: entry.name.text,
                    message: "\"\(entry.name.text)\" is declared \(how), but no scanned page set it",
                    page: nil, evidence: nil)
            }
        }
    }

    func result() -> AuditResult {
        var copy = self
        return copy.takeResult()
    }

    /// The result, its page lists sorted in place: the pass gives up its findings and cookies, so that a
    /// list of 100,000 pages is not copied twice more (sorted, then deduplicated) at the very end, when
    /// memory peaks. The pass is empty afterwards.
    mutating func takeResult() -> AuditResult {
        var pages = PageOrder(pageTable)
        pageTable = []
        var taken = findings
        findings = []
        findingSlots = [:]
        var sorted: [Finding] = []
        sorted.reserveCapacity(taken.count)
        // Taken out one by one, so that each page list is sorted where it is (not copied); the report
        // order below is total, so the order they come out in does not matter.
        while var listed = taken.popLast() {
            listed.row.pages = pages.sortedUnique(&listed.picks)
            listed.row.evidence.sort { $0.page < $1.page }
            sorted.append(listed.row)
        }
        sorted.sort(by: Self.reportOrder)
        var rows = cookies
        cookies = []
        cookieSlots = [:]
        var table: [AuditedCookie] = []
        table.reserveCapacity(rows.count)
        while var listed = rows.popLast() {
            listed.row.pages = pages.sortedUnique(&listed.picks)
            table.append(listed.row)
        }
        table.sort { ($0.name, $0.domain) < ($1.name, $1.domain) }
        return AuditResult(findings: sorted, cookies: table, omitted: omitted.values.sorted { $0.page < $1.page })
    }

    /// Severity (highest first), then kind and cookie, then the first page and the id: a total order.
    static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        if a.cookie != b.cookie { return (a.cookie ?? "") < (b.cookie ?? "") }
        if a.pages.first != b.pages.first, let left = a.pages.first, let right = b.pages.first { return left < right }
        return a.id < b.id
    }

    // MARK: - Grouping

    /// Opens or joins the finding of `kind` and `subject` for `page`. The message and the evidence are
    /// built only when they are kept: a new finding, an earlier page, one of the first pages.
    private mutating func add(
        _ kind: FindingKind, cookie: String?, subject: String, message: @autoclosure () -> String, page: PageRef?,
        evidence: (() -> Evidence)?
    ) {
        let key = FindingKey(kind: kind, subject: subject)
        let severity = audit.policy.severity(of: kind, default: kind.defaultSeverity)
        // One hash of the key: the finding's orders live with it, changed in place by index.
        let found = findingSlots[key]
        let listed = found.map { findings[$0].lastOrder == current } ?? false
        if let page, !listed {
            guard admit(page, severity) else { return }
        }
        let slot: Int
        if let found {
            slot = found
            // An earlier page in configuration order speaks for the finding (its message), whatever
            // finished first.
            if current < findings[found].firstOrder {
                let earlier = Finding(
                    kind: kind, severity: severity, site: audit.site, cookie: cookie, subject: subject,
                    message: message(), evidence: findings[found].row.evidence)
                findings[found].row = earlier
                findings[found].firstOrder = current
            }
        } else {
            slot = findings.count
            findings.append(
                Listed(
                    row: Finding(
                        kind: kind, severity: severity, site: audit.site, cookie: cookie, subject: subject,
                        message: message()), firstOrder: current))
            findingSlots[key] = slot
        }
        guard page != nil, let evidence, !listed else { return }
        findings[slot].lastOrder = current
        findings[slot].picks.append(Int32(pageTable.count - 1))
        keepEvidence(evidence, at: slot)
    }

    /// A finding keeps the evidence of its first `SiteAudit.evidencePerFinding` pages in configuration
    /// order (its page list names them all): evidence repeats from page to page, and keeping one per
    /// page made memory and output grow with pages times findings.
    private mutating func keepEvidence(_ evidence: () -> Evidence, at slot: Int) {
        let orders = findings[slot].evidenceOrders
        if orders.count < SiteAudit.evidencePerFinding {
            let kept = evidence()
            findings[slot].evidenceOrders.append(current)
            findings[slot].row.evidence.append(kept)
        } else if let last = orders.indices.max(by: { orders[$0] < orders[$1] }), current < orders[last] {
            let kept = evidence()
            findings[slot].evidenceOrders[last] = current
            findings[slot].row.evidence[last] = kept
        }
    }

    /// Whether `page` may open or join one more finding; past the cap the finding is counted instead.
    private mutating func admit(_ page: PageRef, _ severity: Severity) -> Bool {
        let serial = perPage.count - 1
        guard perPage[serial] >= audit.findingsPerPage else {
            perPage[serial] += 1
            return true
        }
        var left = omitted[page] ?? OmittedFindings(page: page, count: 0, highestSeverity: nil)
        left.count += 1
        left.highestSeverity = max(left.highestSeverity ?? severity, severity)
        omitted[page] = left
        return false
    }

    private mutating func recordCookie(
        _ cookie: StoredCookie, lifetime: Int64?, hop: ObservedHop, entry: CharterEntry?, kinds: FindingKinds
    ) {
        let key = CookieKey(name: cookie.name, domain: cookie.domain)
        let serial = Int32(pageTable.count - 1)
        guard let slot = cookieSlots[key] else {
            cookieSlots[key] = cookies.count
            cookies.append(
                Listed(
                    row: AuditedCookie(
                        name: cookie.name, domain: cookie.domain, hostOnly: cookie.hostOnly, path: cookie.path,
                        setBy: hop.setBy,
                        setOnRedirect: (300...399).contains(hop.status), category: entry?.category,
                        entry: entry?.name.text, declared: entry?.duration, lifetime: lifetime, secure: cookie.secure,
                        httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, pages: [], findings: kinds.set),
                    picks: [serial], firstOrder: current, lastOrder: current, kinds: kinds))
            return
        }
        if current < cookies[slot].firstOrder {
            // The earliest page in configuration order gives the first-seen attributes.
            let existing = cookies[slot].row
            cookies[slot].row = AuditedCookie(
                name: cookie.name, domain: cookie.domain, hostOnly: cookie.hostOnly, path: cookie.path,
                setBy: hop.setBy,
                setOnRedirect: (300...399).contains(hop.status), category: entry?.category, entry: entry?.name.text,
                declared: entry?.duration, lifetime: existing.lifetime, secure: cookie.secure,
                httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, pages: [], findings: existing.findings)
            cookies[slot].firstOrder = current
        }
        // In place, by index: one hash of the key per cookie.
        if cookies[slot].lastOrder != current {
            cookies[slot].lastOrder = current
            cookies[slot].picks.append(serial)
        }
        // The row's set changes only when a kind is new to it: most visits repeat the same kinds.
        if !cookies[slot].kinds.contains(kinds) {
            cookies[slot].kinds.formUnion(kinds)
            cookies[slot].row.findings = cookies[slot].kinds.set
        }
        if let lifetime, lifetime > (cookies[slot].row.lifetime ?? Int64.min) {
            cookies[slot].row.lifetime = lifetime
        }
    }

    /// A charter entry's identity: hashed as it is (an interpolated string was built for every declared
    /// cookie of every page).
    private static func entryKey(_ charter: CharterIdentity, _ entry: CharterEntry) -> EntryKey {
        EntryKey(charter: charter, name: entry.name.text)
    }

    /// `knownAs` (what the database's entries say, or that it does not know the name) and `knownSource`
    /// (the entries to cite), for an undeclared cookie's evidence.
    private static func addKnown(_ known: [KnownCookie], to attributes: inout [String: String]) {
        guard !known.isEmpty else {
            attributes["knownAs"] = "unknown: not in the Open Cookie Database"
            return
        }
        attributes["knownAs"] = known.map(\.summary).joined(separator: "; or ")
        attributes["knownSource"] = known.map(\.citation).joined(separator: ", ")
    }

    private static func attributes(of cookie: StoredCookie, lifetime: Int64?, source hop: ObservedHop)
        -> [String: String]
    {
        var attributes = [
            "domain": cookie.domain, "hostOnly": String(cookie.hostOnly), "path": cookie.path,
            "secure": String(cookie.secure),
            "httpOnly": String(cookie.httpOnly), "sameSite": cookie.sameSite.rawValue,
            "lifetime": LifetimeText.describe(lifetime),
        ]
        if cookie.partitioned { attributes["partitioned"] = "true" }
        if hop.source != .navigation {
            attributes["source"] = hop.source.kind
            attributes["setBy"] = hop.setBy
        }
        if let choice = hop.choice { attributes["after"] = choice == .accept ? "consent accepted" : "consent refused" }
        if hop.afterLogin { attributes["login"] = "after login" }
        return attributes
    }
}

/// A finding or cookie row of a pass, with its pages as indices into the pass's page table and the
/// orders that decide which page speaks for it.
/// A charter entry within a pass: its charter and its name as written.
private struct EntryKey: Hashable, Sendable {
    var charter: CharterIdentity
    var name: String
}

/// A finding's identity within a pass: its kind and subject. The kind is compared and hashed as its bit
/// (a raw-value enum's own hash and == go through its string).
private struct FindingKey: Hashable, Sendable {
    var kind: FindingKind
    var subject: String

    static func == (a: FindingKey, b: FindingKey) -> Bool {
        FindingKinds.bit(a.kind) == FindingKinds.bit(b.kind) && a.subject == b.subject
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(FindingKinds.bit(kind))
        hasher.combine(subject)
    }
}

private struct Listed<Row: Sendable>: Sendable {
    var row: Row
    var picks: [Int32] = []
    /// The earliest order that spoke for the row (its message, or its first-seen attributes).
    var firstOrder: Int
    /// The order of the last observation that added a page: one observation is one page, so this says
    /// whether the page is listed already, without a set of pages per row.
    var lastOrder: Int? = nil
    /// The order of each kept evidence entry, parallel to a finding's evidence.
    var evidenceOrders: [Int] = []
    /// A cookie row's finding kinds as bits (its `findings` set, kept in step).
    var kinds = FindingKinds()
}

/// A hop's registrable domain and whether it is outside the site's first-party domains.
private struct HopParty {
    var domain: String
    var thirdParty: Bool

    init(_ audit: SiteAudit, _ hop: ObservedHop) {
        domain = audit.registrableDomain(of: hop.url.host)
        thirdParty = !audit.firstPartyDomains.contains(domain)
    }
}

/// A cookie row's identity within a pass: its name and domain.
private struct CookieKey: Hashable, Sendable {
    var name: String
    var domain: String
}

/// A set of finding kinds as bits: what one cookie of one visit was flagged with, compared and merged
/// without hashing (a `Set<FindingKind>` was allocated and hashed for every cookie of every visit).
struct FindingKinds: Sendable, Hashable {
    private var bits: UInt32 = 0

    mutating func insert(_ kind: FindingKind) { bits |= Self.bit(kind) }
    func contains(_ other: FindingKinds) -> Bool { bits & other.bits == other.bits }
    mutating func formUnion(_ other: FindingKinds) { bits |= other.bits }

    var set: Set<FindingKind> { Set(FindingKind.allCases.filter { bits & Self.bit($0) != 0 }) }

    static func bit(_ kind: FindingKind) -> UInt32 {
        switch kind {
        case .undeclared: 1 << 0
        case .setBeforeConsent: 1 << 1
        case .setAfterRefusal: 1 << 2
        case .lifetimeExceedsDeclared: 1 << 3
        case .lifetimeExceedsLimit: 1 << 4
        case .attributeMismatch: 1 << 5
        case .insecureAttributes: 1 << 6
        case .rejectedByBrowser: 1 << 7
        case .declaredNotSeen: 1 << 8
        case .thirdParty: 1 << 9
        case .scanError: 1 << 10
        case .ambiguousDeclaration: 1 << 11
        }
    }
}
