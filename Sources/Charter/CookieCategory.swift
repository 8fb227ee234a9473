/// What a cookie is for, as charters classify it; decides whether it needs consent.
public enum CookieCategory: String, Sendable, Hashable, CaseIterable, Comparable {
    case necessary
    case preferences
    case statistics
    case marketing

    /// Charter order: necessary first, marketing last.
    public static func < (lhs: CookieCategory, rhs: CookieCategory) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
