/// What the audit holds a site to, beyond the charter itself.
public struct Policy: Sendable, Hashable {
    /// Categories that must not be stored before consent. Default: all but `necessary`; CNIL lets
    /// audience measurement (`statistics`) be exempt under conditions, so it can be left out.
    public var consentRequired: Set<CookieCategory>
    /// The longest lifetime any cookie may have, in seconds. Default 395 days: CNIL's 13 months.
    public var lifetimeLimit: Int
    /// How far (seconds) an observed lifetime may exceed the declared one before it is a finding;
    /// absorbs clock skew between the response's `Date` and the expiry.
    public var durationTolerance: Int
    /// Severities that replace the audit's defaults, per finding kind.
    public var severityOverrides: [FindingKind: Severity]
    /// Scans in a row a `header`-observable entry may go unseen before `declared-not-seen`.
    public var declaredNotSeenAfterScans: Int
    /// Consecutive failed fetches of a page before `scan-error` alerts.
    public var scanErrorAfterFailures: Int

    public init(
        consentRequired: Set<CookieCategory> = [.preferences, .statistics, .marketing],
        lifetimeLimit: Int = 395 * CalendarConvention.day,
        durationTolerance: Int = CalendarConvention.day,
        severityOverrides: [FindingKind: Severity] = [:],
        declaredNotSeenAfterScans: Int = 3,
        scanErrorAfterFailures: Int = 3
    ) {
        self.consentRequired = consentRequired
        self.lifetimeLimit = lifetimeLimit
        self.durationTolerance = durationTolerance
        self.severityOverrides = severityOverrides
        self.declaredNotSeenAfterScans = declaredNotSeenAfterScans
        self.scanErrorAfterFailures = scanErrorAfterFailures
    }

    /// The defaults described on each property.
    public static let standard = Policy()

    /// Whether a cookie of `category` may only be stored after consent.
    public func requiresConsent(_ category: CookieCategory) -> Bool { consentRequired.contains(category) }

    /// The severity of `kind`: the override if any, else the audit's default.
    public func severity(of kind: FindingKind, default defaultSeverity: Severity) -> Severity {
        // Most policies override nothing: no hash of the kind then (the audit asks for every finding).
        severityOverrides.isEmpty ? defaultSeverity : severityOverrides[kind] ?? defaultSeverity
    }
}
