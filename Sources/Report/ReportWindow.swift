import CookieModel

/// The time span a report covers: `[since, until)` in Unix seconds, UTC.
public struct ReportWindow: Sendable, Hashable {
    public var since: Int64
    public var until: Int64

    public init(since: Int64, until: Int64) {
        self.since = since
        self.until = until
    }

    /// `--since 30d|YYYY-MM-DD` (default 30 days before `now`) and `--until YYYY-MM-DD` (the whole
    /// day included; default `now`, with the current second included, so a scan written just before
    /// the report is in it).
    public static func parse(since: String?, until: String?, now: Int64) -> Result<ReportWindow, ReportWindowError> {
        var end = now + 1
        if let until {
            guard let day = dayStart(until) else {
                return .failure(ReportWindowError("--until: expected YYYY-MM-DD, got \"\(until)\""))
            }
            end = day + 86_400
        }
        var start = end - 30 * 86_400
        if let since {
            if since.hasSuffix("d"), let days = Int64(since.dropLast()), days > 0, days < 100_000 {
                start = end - days * 86_400
            } else if let day = dayStart(since) {
                start = day
            } else {
                return .failure(
                    ReportWindowError("--since: expected a number of days (30d) or YYYY-MM-DD, got \"\(since)\""))
            }
        }
        guard start < end else {
            return .failure(
                ReportWindowError("--since \(CivilTime.rfc3339(start)) is not before --until \(CivilTime.rfc3339(end))")
            )
        }
        return .success(ReportWindow(since: start, until: end))
    }

    public func contains(_ seconds: Int64) -> Bool { seconds >= since && seconds < until }

    /// The first and last day (`YYYY-MM-DD`) the window touches.
    public var days: ClosedRange<String> { Self.day(of: since)...Self.day(of: until - 1) }

    /// `YYYY-MM-DD` of a time, UTC.
    public static func day(of seconds: Int64) -> String { String(CivilTime.rfc3339(seconds).prefix(10)) }

    /// Midnight UTC of `YYYY-MM-DD`, nil if the text is not a date.
    public static func dayStart(_ text: String) -> Int64? {
        guard text.utf8.count == 10 else { return nil }
        return CivilTime.parseRFC3339(text + "T00:00:00Z")
    }
}

/// A `--since` / `--until` that cannot be used.
public struct ReportWindowError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
