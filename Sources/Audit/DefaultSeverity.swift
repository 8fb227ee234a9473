import Charter

extension FindingKind {
    /// The audit's severity for each kind when the policy does not override it.
    ///
    /// `high` and above are what a deploy gate (`--fail-on high`) stops on: cookies the charter does not
    /// declare, and non-exempt cookies stored before consent.
    public var defaultSeverity: Severity {
        switch self {
        case .setBeforeConsent, .setAfterRefusal: .critical
        case .undeclared, .thirdParty: .high
        case .lifetimeExceedsDeclared, .lifetimeExceedsLimit, .attributeMismatch, .insecureAttributes, .scanError,
            .ambiguousDeclaration:
            .medium
        case .rejectedByBrowser, .declaredNotSeen: .low
        }
    }
}
