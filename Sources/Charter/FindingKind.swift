/// The stable identifiers of the audit's findings (DESIGN.md, "Finding kinds"); the policy can
/// override the severity of each.
public enum FindingKind: String, Sendable, Hashable, CaseIterable {
    case undeclared
    case setBeforeConsent = "set-before-consent"
    /// (browser engine) A consent-requiring cookie stored after the visitor clicked "refuse".
    case setAfterRefusal = "set-after-refusal"
    case lifetimeExceedsDeclared = "lifetime-exceeds-declared"
    case lifetimeExceedsLimit = "lifetime-exceeds-limit"
    case attributeMismatch = "attribute-mismatch"
    case insecureAttributes = "insecure-attributes"
    case rejectedByBrowser = "rejected-by-browser"
    case declaredNotSeen = "declared-not-seen"
    case thirdParty = "third-party"
    case scanError = "scan-error"
    /// A cookie that several charter entries claim (two patterns): the charter needs fixing.
    case ambiguousDeclaration = "ambiguous-declaration"
}
