import Foundation

extension SetCookie {
    /// RFC 6265bis 5.6: name and value together at most 4096 bytes.
    public static let maxNameValueBytes = 4096
    /// RFC 6265bis 5.6: an attribute value over 1024 bytes makes the attribute ignored.
    public static let maxAttributeValueBytes = 1024

    /// Parses one header value; throws what makes a browser ignore the whole header.
    public init(parsing header: String) throws(CookieRejection) {
        var header = header
        let parsed = header.withUTF8 { bytes in Result { () throws(CookieRejection) in try Self.parse(bytes) } }
        self = try parsed.get()
    }

    /// Parses one header value given as raw bytes (which need not be UTF-8).
    public init<Bytes: Collection<UInt8>>(parsingBytes bytes: Bytes) throws(CookieRejection) {
        let parsed =
            bytes.withContiguousStorageIfAvailable { buffer in
                Result { () throws(CookieRejection) in try Self.parse(buffer) }
            }
            ?? Array(bytes).withUnsafeBufferPointer { buffer in
                Result { () throws(CookieRejection) in try Self.parse(buffer) }
            }
        self = try parsed.get()
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) throws(CookieRejection) -> SetCookie {
        // 5.6 step 1: a CTL other than HTAB makes the whole header ignored.
        if let i = ByteScan.firstControlCharacter(b) {
            throw CookieRejection(
                .controlCharacter, cookieName: nil,
                subject: "0x" + String(b[i], radix: 16, uppercase: true), context: String(i))
        }
        let pairEnd = ByteScan.first(0x3B, in: b, from: 0, to: b.count)
        var nameRange = 0..<0
        var valueRange = 0..<pairEnd
        if let eq = ByteScan.firstIndex(0x3D, in: b, from: 0, to: pairEnd) {  // 5.6 step 3: no "=" means an empty name
            nameRange = 0..<eq
            valueRange = (eq + 1)..<pairEnd
        }
        nameRange = trimWhitespace(b, nameRange)
        valueRange = trimWhitespace(b, valueRange)
        let name = string(b, nameRange)
        guard nameRange.count + valueRange.count <= maxNameValueBytes else {
            throw CookieRejection(.tooLarge, cookieName: name, subject: String(nameRange.count + valueRange.count))
        }
        var cookie = SetCookie(name: name, value: string(b, valueRange))
        var position = pairEnd
        while position < b.count {
            let start = position + 1
            let end = ByteScan.first(0x3B, in: b, from: start, to: b.count)
            position = end
            cookie.apply(attribute: start..<end, of: b)
        }
        return cookie
    }

    /// 5.6 steps for one cookie-av: the last of a repeated attribute wins, unknown ones are ignored.
    private mutating func apply(attribute range: Range<Int>, of b: UnsafeBufferPointer<UInt8>) {
        var nameRange = range
        var valueRange = range.upperBound..<range.upperBound
        if let eq = ByteScan.firstIndex(0x3D, in: b, from: range.lowerBound, to: range.upperBound) {
            nameRange = range.lowerBound..<eq
            valueRange = (eq + 1)..<range.upperBound
        }
        nameRange = Self.trimWhitespace(b, nameRange)
        valueRange = Self.trimWhitespace(b, valueRange)
        guard !nameRange.isEmpty else { return }
        let key = AttributeName(b, nameRange)
        if valueRange.count > Self.maxAttributeValueBytes {
            notes.append(.attributeValueTooLong(Self.string(b, nameRange)))
            return
        }
        let value = UnsafeBufferPointer(rebasing: b[valueRange])
        switch key {
        case .expires:
            if let seconds = CookieDate.parse(buffer: value) {
                expires = Date(timeIntervalSince1970: Double(seconds))
            } else {
                notes.append(.unreadableExpires(Self.string(b, valueRange)))
            }
        case .maxAge:
            if let delta = Self.deltaSeconds(value) {
                maxAge = delta
            } else {
                notes.append(.invalidMaxAge(Self.string(b, valueRange)))
            }
        case .domain:
            guard !value.isEmpty else {
                notes.append(.emptyDomain)
                return
            }
            let start = value[0] == 0x2E ? 1 : 0  // 5.6.3: a leading dot is ignored
            let text = UnsafeBufferPointer(rebasing: value[start...])
            domain =
                text.contains(where: { $0 >= 0x41 && $0 <= 0x5A })
                ? String(decoding: text.map(Self.asciiLowercase), as: UTF8.self) : String(decoding: text, as: UTF8.self)
        case .path:
            if let first = value.first, first == 0x2F {
                path = .absolute(Self.string(b, valueRange))
            } else {
                if !value.isEmpty { notes.append(.pathNotAbsolute(Self.string(b, valueRange))) }
                path = .defaultPath
            }
        case .secure: secure = true
        case .httpOnly: httpOnly = true
        case .partitioned: partitioned = true
        case .sameSite:
            switch AttributeName(b, valueRange) {
            case .strict: sameSite = .strict
            case .lax: sameSite = .lax
            case .none: sameSite = .none
            default:
                sameSite = .default
                notes.append(.unrecognisedSameSite(Self.string(b, valueRange)))
            }
        case .unknown, .strict, .lax, .none:
            notes.append(.unknownAttribute(Self.string(b, nameRange)))
        }
    }

    /// 5.6.2: `-?DIGIT+`, saturating rather than overflowing on absurd values.
    private static func deltaSeconds(_ v: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let first = v.first, first == 0x2D || CookieDate.isDigit(first) else { return nil }
        let negative = first == 0x2D
        let digits = UnsafeBufferPointer(rebasing: v[(negative ? 1 : 0)...])
        guard !digits.isEmpty, digits.allSatisfy(CookieDate.isDigit) else { return nil }
        var n: Int64 = 0
        for d in digits {
            let (times10, o1) = n.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(d - 0x30))
            if o1 || o2 { return negative ? Int64.min : Int64.max }
            n = sum
        }
        return negative ? -n : n
    }

    @inline(__always)
    static func trimWhitespace(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var lower = r.lowerBound
        var upper = r.upperBound
        while lower < upper, b[lower] == 0x20 || b[lower] == 0x09 { lower += 1 }
        while upper > lower, b[upper - 1] == 0x20 || b[upper - 1] == 0x09 { upper -= 1 }
        return lower..<upper
    }

    @inline(__always)
    static func string(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
    }

    @inline(__always)
    static func asciiLowercase(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
}

/// Attribute names and SameSite values, matched case-insensitively without building strings.
private enum AttributeName {
    case expires, maxAge, domain, path, secure, httpOnly, sameSite, partitioned, strict, lax, none, unknown

    init(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
        guard r.count >= 3, r.count <= 11, let base = b.baseAddress else {
            self = .unknown
            return
        }
        // Whole-word compares against the lowercase literals. `| 0x20` folds case safely here: the
        // literals hold only letters and "-", and the bytes that fold onto "-" (0x0D) were rejected as
        // control characters. Constants are the literals' bytes read little-endian as `folded` reads them.
        let p = UnsafeRawPointer(base + r.lowerBound)
        switch r.count {
        case 3: self = Self.folded(p, 3) == 0x78_616C ? .lax : .unknown
        case 4:
            switch Self.folded(p, 4) {
            case 0x6874_6170_6874_6170: self = .path
            case 0x656E_6F6E_656E_6F6E: self = .none
            default: self = .unknown
            }
        case 6:
            switch Self.folded(p, 6) {
            case 0x6E69_616D_616D_6F64: self = .domain
            case 0x6572_7563_7563_6573: self = .secure
            case 0x7463_6972_6972_7473: self = .strict
            default: self = .unknown
            }
        case 7:
            switch Self.folded(p, 7) {
            case 0x7365_7269_6970_7865: self = .expires
            case 0x6567_612D_2D78_616D: self = .maxAge
            default: self = .unknown
            }
        case 8:
            switch Self.folded(p, 8) {
            case 0x796C_6E6F_7074_7468: self = .httpOnly
            case 0x6574_6973_656D_6173: self = .sameSite
            default: self = .unknown
            }
        case 11:
            self =
                Self.folded(p, 8) == 0x6F69_7469_7472_6170 && Self.folded(p + 3, 8) == 0x6465_6E6F_6974_6974
                ? .partitioned : .unknown
        default: self = .unknown
        }
    }

    /// Bytes `0..<n` (3...8) of `p`, each `| 0x20`, in one word: the first and the last four bytes
    /// (overlapping below eight), little-endian; three bytes in the low 24 bits.
    @inline(__always)
    private static func folded(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        if n < 4 {
            let three =
                UInt64(p.loadUnaligned(as: UInt16.self).littleEndian) | UInt64(
                    p.load(fromByteOffset: 2, as: UInt8.self)) << 16
            return three | 0x20_2020
        }
        let low = UInt64(p.loadUnaligned(as: UInt32.self).littleEndian)
        let high = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self).littleEndian)
        return (low | high << 32) | 0x2020_2020_2020_2020
    }
}
