/// UTC calendar arithmetic on Unix seconds, without Foundation's calendars (hot path, and exact).
///
/// Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms (proleptic Gregorian).
public enum CivilTime {
    /// Seconds since 1970-01-01T00:00:00Z for a UTC date-time, or nil when the date does not exist.
    public static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The UTC fields of a Unix time.
    public static func fields(_ seconds: Int64) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int
    ) {
        let days = Int(seconds.floorDivided(by: 86_400))
        let rest = Int(seconds - Int64(days) * 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = ((days % 7) + 11) % 7  // 0 = Sunday; 1970-01-01 was a Thursday
        return (year, month, day, rest / 3600, rest % 3600 / 60, rest % 60, weekday)
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 5.6.7 IMF-fixdate).
    public static func imfFixdate(_ seconds: Int64) -> String {
        let f = fields(seconds)
        return "\(weekdayNames[f.weekday]), \(pad2(f.day)) \(monthNames[f.month - 1]) \(pad4(f.year)) "
            + "\(pad2(f.hour)):\(pad2(f.minute)):\(pad2(f.second)) GMT"
    }

    /// `1994-11-06T08:49:37Z` (RFC 3339, UTC, whole seconds).
    public static func rfc3339(_ seconds: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        appendRFC3339(seconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `rfc3339(seconds)`'s bytes, appended: no string built (the daemon writes several times a page,
    /// and the interpolated string cost thousands of instructions each).
    public static func appendRFC3339(_ seconds: Int64, to out: inout [UInt8]) {
        let f = fields(seconds)
        guard (0...9_999).contains(f.year) else {
            out.append(contentsOf: "\(pad4(f.year))-\(pad2(f.month))-\(pad2(f.day))T".utf8)
            out.append(contentsOf: "\(pad2(f.hour)):\(pad2(f.minute)):\(pad2(f.second))Z".utf8)
            return
        }
        func two(_ n: Int) {
            out.append(UInt8(truncatingIfNeeded: 0x30 + n / 10))
            out.append(UInt8(truncatingIfNeeded: 0x30 + n % 10))
        }
        two(f.year / 100)
        two(f.year % 100)
        out.append(UInt8(ascii: "-"))
        two(f.month)
        out.append(UInt8(ascii: "-"))
        two(f.day)
        out.append(UInt8(ascii: "T"))
        two(f.hour)
        out.append(UInt8(ascii: ":"))
        two(f.minute)
        out.append(UInt8(ascii: ":"))
        two(f.second)
        out.append(UInt8(ascii: "Z"))
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`; nil when it is not RFC 3339.
    public static func parseRFC3339(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var n = 0
            for i in range {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        func byte(_ i: Int, _ allowed: UInt8...) -> Bool { i < b.count && allowed.contains(b[i]) }
        guard let year = number(0..<4), byte(4, 0x2D), let month = number(5..<7), byte(7, 0x2D),
            let day = number(8..<10), byte(10, 0x54, 0x74, 0x20), let hour = number(11..<13), byte(13, 0x3A),
            let minute = number(14..<16), byte(16, 0x3A), let second = number(17..<19),
            var seconds = Self.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        var i = 19
        if i < b.count, b[i] == 0x2E {  // fraction: whole seconds are enough here
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        if b[i] == 0x5A || b[i] == 0x7A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D, let oh = number(i + 1..<i + 3), byte(i + 3, 0x3A),
            let om = number(i + 4..<i + 6), oh <= 23, om <= 59
        {
            let offset = Int64(oh * 3600 + om * 60)
            seconds += b[i] == 0x2B ? -offset : offset
            i += 6
        } else {
            return nil
        }
        return i == b.count ? seconds : nil
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func pad4(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}

extension Int64 {
    fileprivate func floorDivided(by d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
