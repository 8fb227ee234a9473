import Audit
import CookieModel
import Foundation
import Watch

/// A fast path for the most common history line, `unchanged`: a flat object of eight string and
/// integer members, read without `JSONDecoder` (which dominates the time of a report otherwise).
///
/// It accepts only what it can read exactly (the eight keys once each, strings without escapes, a
/// plain integer `formatVersion` this code knows); anything else returns nil and the caller uses
/// `HistoryRecord.parse`, so both paths give the same record for every line.
enum UnchangedLine {
    static func parse(_ line: [UInt8]) -> HistoryRecord? {
        var fields: [String: String] = [:]
        var index = 0
        func next() -> UInt8? {
            guard index < line.count else { return nil }
            defer { index += 1 }
            return line[index]
        }
        /// A JSON string without escapes or control characters, from after its opening quote.
        func string() -> String? {
            let start = index
            while index < line.count {
                let byte = line[index]
                index += 1
                if byte == UInt8(ascii: "\"") { return String(validating: line[start..<(index - 1)], as: UTF8.self) }
                guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { return nil }
            }
            return nil
        }
        guard next() == UInt8(ascii: "{") else { return nil }
        while true {
            guard next() == UInt8(ascii: "\""), let key = string(), next() == UInt8(ascii: ":") else { return nil }
            var byte = next()
            var value: String
            if byte == UInt8(ascii: "\"") {
                guard let text = string() else { return nil }
                value = text
                byte = next()
            } else {
                let start = index - 1
                while let digit = byte, (0x30...0x39).contains(digit) { byte = next() }
                guard index - 1 > start, index - 1 - start < 6 else { return nil }
                value = "#" + String(decoding: line[start..<(index - 1)], as: UTF8.self)
            }
            guard fields.updateValue(value, forKey: key) == nil else { return nil }
            if byte == UInt8(ascii: "}") { break }
            guard byte == UInt8(ascii: ",") else { return nil }
        }
        guard index == line.count, fields.count == 8, fields["type"] == "unchanged",
            let version = fields["formatVersion"].flatMap({ $0.hasPrefix("#") ? Int($0.dropFirst()) : nil }),
            version <= HistoryRecord.currentFormatVersion,
            let prev = text(fields["prev"]), let timeText = text(fields["time"]),
            let seconds = CivilTime.parseRFC3339(timeText), let site = text(fields["site"]),
            let url = text(fields["page"]), let variant = text(fields["variant"]), let digest = text(fields["digest"])
        else { return nil }
        return HistoryRecord(
            formatVersion: version, prev: prev, time: Date(timeIntervalSince1970: TimeInterval(seconds)), site: site,
            page: PageRef(url: url, variant: variant), outcome: .unchanged(digest: digest))
    }

    /// A string member's value; integers carry a `#` mark so that `"1"` and `1` stay apart.
    private static func text(_ value: String?) -> String? {
        guard let value, !value.hasPrefix("#") else { return nil }
        return value
    }
}
