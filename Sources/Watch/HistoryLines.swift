/// The complete lines of a history segment and the unterminated tail a torn write may leave.
struct HistoryLines {
    /// Byte ranges of the lines, without their newlines.
    var lines: [Range<Int>] = []
    /// Bytes after the last newline, if any.
    var tail: Range<Int>?

    init(_ bytes: [UInt8]) {
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            lines.append(start..<index)
            start = index + 1
        }
        if start < bytes.count { tail = start..<bytes.count }
    }
}

/// A history day file's name for a time: `YYYY-MM-DD.jsonl`, UTC.
enum HistorySegmentName {
    static let suffix = ".jsonl"

    static func day(of seconds: Int64) -> String {
        String(CivilTimeText.rfc3339(seconds).prefix(10))
    }

    /// Whether `name` is a segment (`2026-11-29.jsonl`), not a quarantine file or a stray.
    static func isSegment(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 16, name.hasSuffix(suffix) else { return false }
        return bytes[0..<10].enumerated().allSatisfy { offset, byte in
            offset == 4 || offset == 7 ? byte == 0x2D : (0x30...0x39).contains(byte)
        }
    }
}
