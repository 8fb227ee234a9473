/// How urgent a finding is; ordered, so `--fail-on` can compare.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    case info
    case low
    case medium
    case high
    case critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
