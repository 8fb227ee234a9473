/// Chains records into lines: sets each `prev` and picks the day file. Pure; stores share it.
public struct HistoryChainWriter: Sendable {
    /// SHA-256 of the last line written (64 zeros before the first).
    public private(set) var lastHash: String
    /// The day file of the last line (`2026-11-29.jsonl`), nil before the first.
    public private(set) var lastSegment: String?

    public init(lastHash: String = HexDigest.zero, lastSegment: String? = nil) {
        self.lastHash = lastHash
        self.lastSegment = lastSegment
    }

    /// The segment, the chained record and its line with the newline, for `record`.
    ///
    /// A clock that steps back never sends a line to an earlier file: the chain is read in
    /// file-name order, so it stays in the latest one.
    public mutating func next(_ record: HistoryRecord) -> (segment: String, record: HistoryRecord, line: [UInt8]) {
        var chained = record
        chained.prev = lastHash
        var bytes = chained.line()
        let day = HistorySegmentName.day(of: CivilTimeText.seconds(record.time)) + HistorySegmentName.suffix
        let segment = max(day, lastSegment ?? day)
        lastHash = HexDigest.sha256(bytes)
        lastSegment = segment
        bytes.append(0x0A)  // in place: the line is not copied for its newline
        return (segment, chained, bytes)
    }
}
