import Audit
import CookieModel
import Foundation
import Watch

/// A fast path for the most common history line, `unchanged`: a flat object of eight string and
/// integer members, read in place without `JSONDecoder` and without building a string per member
/// (the decoder, then the strings and their dictionary, dominated the time of a report otherwise).
///
/// It accepts only what it can read exactly (the eight keys once each, strings without escapes, a
/// plain integer `formatVersion` this code knows, a canonical `prev` and `time`); anything else
/// returns nil and the caller uses `HistoryRecord.parse`, so both paths give the same record for
/// every line.
struct UnchangedLine {
    var formatVersion: Int
    var prev: LineDigest
    /// Unix seconds.
    var time: Int64
    var site: Range<Int>
    var page: Range<Int>
    var variant: Range<Int>
    var digest: Range<Int>

    private enum Key: UInt8 {
        case digest = 1
        case formatVersion = 2
        case page = 4
        case prev = 8
        case site = 16
        case time = 32
        case type = 64
        case variant = 128

        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            switch bytes.count {
            case 4 where Self.equal(bytes, "page"): self = .page
            case 4 where Self.equal(bytes, "prev"): self = .prev
            case 4 where Self.equal(bytes, "site"): self = .site
            case 4 where Self.equal(bytes, "time"): self = .time
            case 4 where Self.equal(bytes, "type"): self = .type
            case 6 where Self.equal(bytes, "digest"): self = .digest
            case 7 where Self.equal(bytes, "variant"): self = .variant
            case 13 where Self.equal(bytes, "formatVersion"): self = .formatVersion
            default: return nil
            }
        }

        static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
            guard bytes.count == text.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
            return memcmp(base, text.utf8Start, bytes.count) == 0
        }
    }

    /// Reads `line` (without its newline); nil when it is not an `unchanged` line this path reads exactly.
    static func scan(_ line: UnsafeBufferPointer<UInt8>) -> UnchangedLine? {
        let quote = UInt8(ascii: "\"")
        let count = line.count
        var index = 0
        /// A JSON string without escapes or control characters, from after its opening quote.
        func string() -> Range<Int>? {
            let start = index
            while index < count {
                let byte = line[index]
                index += 1
                if byte == quote { return start..<(index - 1) }
                guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { return nil }
            }
            return nil
        }
        var seen: UInt8 = 0
        var version = 0
        var members = [Range<Int>](repeating: 0..<0, count: 8)
        guard count > 1, line[0] == UInt8(ascii: "{") else { return nil }
        index = 1
        while true {
            guard index < count, line[index] == quote else { return nil }
            index += 1
            guard let name = string(), index < count, line[index] == UInt8(ascii: ":"),
                let key = Key(UnsafeBufferPointer(rebasing: line[name])), seen & key.rawValue == 0
            else { return nil }
            seen |= key.rawValue
            index += 1
            if key == .formatVersion {
                let start = index
                while index < count, (0x30...0x39).contains(line[index]) {
                    version = version * 10 + Int(line[index] - 0x30)
                    index += 1
                }
                guard index > start, index - start < 6 else { return nil }
            } else {
                guard index < count, line[index] == quote else { return nil }
                index += 1
                guard let value = string() else { return nil }
                members[key.rawValue.trailingZeroBitCount] = value
            }
            guard index < count else { return nil }
            index += 1
            if line[index - 1] == UInt8(ascii: "}") { break }
            guard line[index - 1] == UInt8(ascii: ",") else { return nil }
        }
        func member(_ key: Key) -> Range<Int> { members[key.rawValue.trailingZeroBitCount] }
        guard index == count, seen == 0xFF, version <= HistoryRecord.currentFormatVersion,
            Key.equal(UnsafeBufferPointer(rebasing: line[member(.type)]), "unchanged"),
            let prev = LineDigest(hex: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: line[member(.prev)]))),
            let time = Self.time(UnsafeBufferPointer(rebasing: line[member(.time)])),
            line[member(.digest)].allSatisfy({ $0 < 0x80 })
        else { return nil }
        return UnchangedLine(
            formatVersion: version, prev: prev, time: time, site: member(.site), page: member(.page),
            variant: member(.variant), digest: member(.digest))
    }

    /// The record of `line`, built from `scan`: what `HistoryRecord.parse` gives, or nil.
    static func parse(_ line: [UInt8]) -> HistoryRecord? {
        line.withUnsafeBufferPointer { buffer in
            guard let fields = scan(buffer), let site = text(buffer, fields.site),
                let url = text(buffer, fields.page), let variant = text(buffer, fields.variant),
                let digest = text(buffer, fields.digest)
            else { return nil }
            return HistoryRecord(
                formatVersion: fields.formatVersion, prev: fields.prev.hex,
                time: Date(timeIntervalSince1970: TimeInterval(fields.time)), site: site,
                page: PageRef(url: url, variant: variant), outcome: .unchanged(digest: digest))
        }
    }

    static func text(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
        String(validating: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form the daemon writes; other RFC 3339 forms go to the decoder.
    static func time(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A
        else { return nil }
        func number(_ at: Int, _ digits: Int) -> Int? {
            var n = 0
            for i in at..<(at + digits) {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        return CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }
}
