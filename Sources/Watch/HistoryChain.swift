/// Checks the history chain line by line across segments, in file-name order.
///
/// Each line must be a record whose `prev` is the SHA-256 of the line before. The very first line
/// present is the anchor: its `prev` is accepted as is, since retention may have removed what it
/// points to (it is 64 zeros when nothing was ever removed).
public struct HistoryChain: Sendable {
    public private(set) var segments = 0
    public private(set) var lines = 0
    /// The `prev` of the first line checked.
    public private(set) var anchor: String?
    private var lastHash: String?

    public init() {}

    /// Checks one segment's bytes; returns the first broken line in it, if any.
    public mutating func check(file: String, bytes: [UInt8]) -> BrokenLine? {
        segments += 1
        let split = HistoryLines(bytes)
        for (index, range) in split.lines.enumerated() {
            let line = bytes[range]
            func broken(_ reason: String) -> BrokenLine {
                BrokenLine(file: file, line: index + 1, offset: range.lowerBound, reason: reason)
            }
            let record: HistoryRecord
            switch HistoryRecord.parse(line) {
            case .success(let parsed): record = parsed
            case .failure(let problem): return broken(problem.description)
            }
            if let lastHash, record.prev != lastHash {
                return broken("prev is \(record.prev), but the line before hashes to \(lastHash)")
            }
            if anchor == nil { anchor = record.prev }
            lastHash = HexDigest.sha256(line)
            lines += 1
        }
        if let tail = split.tail {
            return BrokenLine(
                file: file, line: split.lines.count + 1, offset: tail.lowerBound,
                reason: "unterminated line of \(tail.count) bytes (a torn write)")
        }
        return nil
    }
}

/// The first line where a history chain breaks.
public struct BrokenLine: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based.
    public var line: Int
    /// Byte offset of the line's start in the file.
    public var offset: Int
    public var reason: String

    public init(file: String, line: Int, offset: Int, reason: String) {
        self.file = file
        self.line = line
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
}
