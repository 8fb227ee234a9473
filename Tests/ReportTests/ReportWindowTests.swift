import Report
import Testing

@Suite("--since and --until")
struct ReportWindowTests {
    static let now = Int64(1_795_867_200)  // 2026-11-28T12:00:00Z

    @Test("the default window is the 30 days before now, the current second included")
    func defaults() throws {
        let window = try ReportWindow.parse(since: nil, until: nil, now: Self.now).get()
        #expect(window == ReportWindow(since: Self.now + 1 - 30 * 86_400, until: Self.now + 1))
        #expect(window.contains(Self.now))
    }

    @Test("a date --until includes that whole day; a date --since starts at its midnight")
    func dates() throws {
        let window = try ReportWindow.parse(since: "2026-11-01", until: "2026-11-27", now: Self.now).get()
        #expect(ReportWindow.day(of: window.since) == "2026-11-01")
        #expect(window.until == ReportWindow.dayStart("2026-11-28"))
        #expect(window.days == "2026-11-01"..."2026-11-27")
    }

    @Test("Nd counts back from --until")
    func days() throws {
        let window = try ReportWindow.parse(since: "7d", until: "2026-11-27", now: Self.now).get()
        #expect(window.until - window.since == 7 * 86_400)
    }

    @Test(
        "bad values are errors that say what was expected",
        arguments: [
            ("30", nil, "--since: expected a number of days (30d) or YYYY-MM-DD, got \"30\""),
            (nil, "2026-13-01", "--until: expected YYYY-MM-DD, got \"2026-13-01\""),
            ("2026-11-28", "2026-11-01", "--since 2026-11-28T00:00:00Z is not before --until 2026-11-02T00:00:00Z"),
        ] as [(String?, String?, String)])
    func bad(since: String?, until: String?, message: String) {
        #expect(throws: ReportWindowError(message)) {
            try ReportWindow.parse(since: since, until: until, now: Self.now).get()
        }
    }
}
