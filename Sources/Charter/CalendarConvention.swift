/// The one place that says how long calendar units are, for declared durations and policy limits.
///
/// A year is 365 days and a month is a twelfth of it (30.4166 days, 2,628,000 s), so that
/// "12 months" and "1 year" declare the same lifetime. Leap days and month lengths are ignored:
/// charters state lifetimes to the month, and the policy tolerance absorbs the difference.
public enum CalendarConvention {
    public static let minute = 60
    public static let hour = 3_600
    public static let day = 86_400
    public static let week = 7 * day
    public static let year = 365 * day
    public static let month = year / 12
}
