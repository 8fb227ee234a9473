import CookieModel
import Glibc

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

/// The end of a history segment, read backwards from its end: the unterminated tail a torn write may
/// leave, and the last complete line. Opening the history reads these few KiB, not the day's file
/// (hundreds of MB on a large site by evening).
struct SegmentEnd {
    /// Bytes after the last newline (empty when the file ends with one), and where they start.
    var tail: [UInt8] = []
    var tailOffset = 0
    /// The last complete line, without its newline, and where it starts; nil when there is none.
    var lastLine: (offset: Int, bytes: [UInt8])?

    /// Reads the end of `path` in windows doubling from 64 KiB until both are found; nil when the file
    /// does not exist.
    static func read(_ path: String) throws(FileError) -> SegmentEnd? {
        guard let file = try PosixFile.openForReading(path) else { return nil }
        defer { close(file.fd) }
        var window = 65_536
        while true {
            let start = max(0, file.size - window)
            let bytes = try PosixFile.read(file.fd, from: start, count: file.size - start, file: path)
            let last = bytes.lastIndex(of: 0x0A)
            let previous = last.flatMap { bytes[..<$0].lastIndex(of: 0x0A) }
            if start > 0, previous == nil {
                window *= 2
                continue
            }
            var end = SegmentEnd()
            end.tailOffset = start + (last.map { $0 + 1 } ?? 0)
            end.tail = Array(bytes[(end.tailOffset - start)...])
            if let last {
                let first = previous.map { $0 + 1 } ?? 0
                end.lastLine = (start + first, Array(bytes[first..<last]))
            }
            return end
        }
    }

    /// The 1-based number of the line starting at `offset` of `path`: the newlines before it, counted
    /// in 1 MiB reads (only for a line to report).
    static func lineNumber(at offset: Int, in path: String) throws(FileError) -> Int {
        guard let file = try PosixFile.openForReading(path) else { return 1 }
        defer { close(file.fd) }
        var newlines = 0
        var position = 0
        while position < offset {
            let count = min(1_048_576, offset - position)
            let bytes = try PosixFile.read(file.fd, from: position, count: count, file: path)
            newlines += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            position += count
        }
        return newlines + 1
    }
}

/// A history day file's name for a time: `YYYY-MM-DD.jsonl`, UTC.
enum HistorySegmentName {
    static let suffix = ".jsonl"

    static func day(of seconds: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        CivilTime.appendRFC3339(seconds, to: &bytes)
        return String(decoding: bytes.prefix(10), as: UTF8.self)
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
