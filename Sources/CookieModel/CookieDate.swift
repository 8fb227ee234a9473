/// The cookie-date algorithm of RFC 6265bis 5.1.1: how browsers read `Expires`, leniently.
public enum CookieDate {
    /// Unix seconds of the date `bytes` denote, or nil where the algorithm fails.
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int64? {
        if let result = bytes.withContiguousStorageIfAvailable({ parse(buffer: $0) }) { return result }
        return Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }
    }

    /// Unix seconds of the date `text` denotes, or nil where the algorithm fails.
    public static func parse(_ text: String) -> Int64? { parse(text.utf8) }

    static func parse(buffer b: UnsafeBufferPointer<UInt8>) -> Int64? {
        if let fixed = fixdate(b) { return fixed }
        var time: (Int, Int, Int)?
        var day: Int?
        var month: Int?
        var year: Int?
        var i = 0
        while i < b.count {
            while i < b.count, isDelimiter(b[i]) { i += 1 }
            let start = i
            while i < b.count, !isDelimiter(b[i]) { i += 1 }
            guard i > start else { break }
            let token = UnsafeBufferPointer(rebasing: b[start..<i])
            if time == nil, let t = hmsTime(token) {
                time = t
            } else if day == nil, let d = digits(token, min: 1, max: 2) {
                day = d
            } else if month == nil, let m = monthNumber(token) {
                month = m
            } else if year == nil, let y = digits(token, min: 2, max: 4) {
                year = y
            }
        }
        // 5.1.1 step 3-4: two-digit years.
        guard var year, let day, let month, let time else { return nil }
        if (70...99).contains(year) { year += 1900 } else if (0...69).contains(year) { year += 2000 }
        guard (1...31).contains(day), year >= 1601, time.0 <= 23, time.1 <= 59, time.2 <= 59 else { return nil }
        return CivilTime.seconds(year: year, month: month, day: day, hour: time.0, minute: time.1, second: time.2)
    }

    /// Fast path for the shape nearly every server sends, `Sun, 06 Nov 1994 08:49:37 GMT` (also with
    /// `-` between day, month and year). It yields what the general algorithm yields for that shape,
    /// and nil (fall back to the algorithm) for anything else.
    static func fixdate(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 29, b[3] == 0x2C, b[4] == 0x20, b[7] == 0x20 || b[7] == 0x2D, b[11] == b[7],
            b[16] == 0x20, b[19] == 0x3A, b[22] == 0x3A, b[25] == 0x20, b[26] == 0x47, b[27] == 0x4D, b[28] == 0x54,
            !isDigit(b[0]), !isDigit(b[1]), !isDigit(b[2]), monthNumber(UnsafeBufferPointer(rebasing: b[0..<3])) == nil
        else { return nil }
        func two(_ i: Int) -> Int? {
            isDigit(b[i]) && isDigit(b[i + 1]) ? Int(b[i] - 0x30) * 10 + Int(b[i + 1] - 0x30) : nil
        }
        guard let day = two(5), let century = two(12), let years = two(14), let hour = two(17), let minute = two(20),
            let second = two(23), let month = monthNumber(UnsafeBufferPointer(rebasing: b[8..<11])),
            (1...31).contains(day), century * 100 + years >= 1601, hour <= 23, minute <= 59, second <= 59
        else { return nil }
        return CivilTime.seconds(
            year: century * 100 + years, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
    @inline(__always)
    static func isDelimiter(_ c: UInt8) -> Bool {
        c == 0x09 || (0x20...0x2F).contains(c) || (0x3B...0x40).contains(c) || (0x5B...0x60).contains(c)
            || (0x7B...0x7E).contains(c)
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `min*max DIGIT [ non-digit *OCTET ]`: the leading number, or nil.
    static func digits(_ t: UnsafeBufferPointer<UInt8>, min: Int, max: Int) -> Int? {
        var n = 0
        var count = 0
        while count < t.count, isDigit(t[count]) {
            count += 1
            if count > max { return nil }
            n = n * 10 + Int(t[count - 1] - 0x30)
        }
        return count >= min ? n : nil
    }

    /// `hms-time [ non-digit *OCTET ]` with `hms-time = time-field ":" time-field ":" time-field`.
    static func hmsTime(_ t: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        var fields = (0, 0, 0)
        var i = 0
        for index in 0..<3 {
            var n = 0
            let start = i
            while i < t.count, isDigit(t[i]), i - start < 2 {
                n = n * 10 + Int(t[i] - 0x30)
                i += 1
            }
            guard i > start else { return nil }
            switch index {
            case 0: fields.0 = n
            case 1: fields.1 = n
            default: fields.2 = n
            }
            if index < 2 {
                guard i < t.count, t[i] == 0x3A else { return nil }
                i += 1
            } else if i < t.count, isDigit(t[i]) {
                return nil
            }
        }
        return fields
    }

    /// month = ( "jan" / "feb" / ... / "dec" ) *OCTET, case-insensitively.
    static func monthNumber(_ t: UnsafeBufferPointer<UInt8>) -> Int? {
        guard t.count >= 3 else { return nil }
        // A switch on the folded three bytes: no table lookup on the date fast path.
        switch UInt32(t[0] | 0x20) << 16 | UInt32(t[1] | 0x20) << 8 | UInt32(t[2] | 0x20) {
        case 0x6A_616E: return 1  // jan
        case 0x66_6562: return 2  // feb
        case 0x6D_6172: return 3  // mar
        case 0x61_7072: return 4  // apr
        case 0x6D_6179: return 5  // may
        case 0x6A_756E: return 6  // jun
        case 0x6A_756C: return 7  // jul
        case 0x61_7567: return 8  // aug
        case 0x73_6570: return 9  // sep
        case 0x6F_6374: return 10  // oct
        case 0x6E_6F76: return 11  // nov
        case 0x64_6563: return 12  // dec
        default: return nil
        }
    }
}
