import Charter
import Testing

@Suite("Declared durations")
struct DeclaredDurationTests {
    static let day = CalendarConvention.day
    static let month = CalendarConvention.month
    static let year = CalendarConvention.year

    static let persistentCases: [(String, Int)] = [
        ("2 weeks", 14 * day), ("2 semaines", 14 * day), ("Up to 12 months", 12 * month),
        ("jusqu'à 12 mois", 12 * month), ("jusqu’à 12 mois", 12 * month), ("6 months", 6 * month),
        ("13 mois", 13 * month), ("13\u{00A0}mois", 13 * month), ("1 year", year), ("1 an", year),
        ("2 ans", 2 * year), ("24 hours", 24 * 3_600), ("24 heures", 24 * 3_600), ("30 days", 30 * day),
        ("30 jours", 30 * day), ("2 weeks by default", 14 * day), ("2 semaines par défaut", 14 * day),
        ("12 months", 12 * month), ("365 days", 365 * day), ("30 minutes", 1_800), ("24h", 86_400),
        ("1 year and 6 months", year + 6 * month), ("1 an et 6 mois", year + 6 * month), ("1.5 years", year * 3 / 2),
        ("a year", year), ("one day", day), ("Maximum 13 months", 13 * month), ("2 Years.", 2 * year),
        ("13 months (maximum)", 13 * month), ("1 année", year),
    ]

    @Test("published durations read in English and French", arguments: persistentCases)
    func persistent(text: String, seconds: Int) {
        #expect(DeclaredDuration(parsing: text)?.seconds == seconds)
        #expect(DeclaredDuration(parsing: text)?.text == text)
    }

    @Test(
        "session cookies have no lifetime",
        arguments: [
            "session", "Session", "SESSION", "session cookie", "End of session", "fin de session", "Cookie de session",
        ])
    func session(text: String) {
        #expect(DeclaredDuration(parsing: text)?.lifetime == .session)
        #expect(DeclaredDuration(parsing: text)?.seconds == nil)
    }

    @Test(
        "text that is not a duration is refused, never guessed",
        arguments: [
            "", "forever", "about a year", "2", "weeks", "12 moons", "0 days", "-1 day", "2 weeks or 3", "persistent",
        ])
    func unreadable(text: String) {
        #expect(DeclaredDuration(parsing: text) == nil)
    }

    @Test("12 months and 1 year are the same lifetime; 13 months is just over 395 days")
    func calendarConvention() {
        #expect(12 * CalendarConvention.month == CalendarConvention.year)
        #expect(CalendarConvention.month == 2_628_000)
        #expect(13 * CalendarConvention.month > 395 * CalendarConvention.day)
        #expect(13 * CalendarConvention.month < 396 * CalendarConvention.day)
    }
}
