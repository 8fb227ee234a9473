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
        func equals(_ literal: StaticString) -> Bool {
            let l = literal.utf8Start
            var offset = 0
            while offset < r.count {
                // `| 0x20` folds case safely here: the literals hold only letters and "-", and the
                // bytes that fold onto "-" (0x0D) were rejected as control characters.
                if b[r.lowerBound + offset] | 0x20 != l[offset] { return false }
                offset += 1
            }
            return true
        }
        guard r.count >= 3 else {
            self = .unknown
            return
        }
        // Dispatch on length and first letter so that most names are decided by one comparison.
        switch (r.count, SetCookie.asciiLowercase(b[r.lowerBound])) {
        case (3, 0x6C): self = equals("lax") ? .lax : .unknown
        case (4, 0x70): self = equals("path") ? .path : .unknown
        case (4, 0x6E): self = equals("none") ? .none : .unknown
        case (6, 0x64): self = equals("domain") ? .domain : .unknown
        case (6, 0x73): self = equals("secure") ? .secure : equals("strict") ? .strict : .unknown
        case (7, 0x65): self = equals("expires") ? .expires : .unknown
        case (7, 0x6D): self = equals("max-age") ? .maxAge : .unknown
        case (8, 0x68): self = equals("httponly") ? .httpOnly : .unknown
        case (8, 0x73): self = equals("samesite") ? .sameSite : .unknown
        case (11, 0x70): self = equals("partitioned") ? .partitioned : .unknown
        default: self = .unknown
        }
    }
}
