/// What opening the history found and repaired; the daemon logs every item at warning or worse.
public struct HistoryRecovery: Sendable, Hashable {
    /// The unterminated last line moved out of the way, if there was one.
    public var quarantined: QuarantinedTail?
    /// The last complete line, when it is not a record; it stays, and `verify` names it (and any other).
    public var unparseable: [BrokenLine]
    /// The last complete record of the history: the daemon checks its state against it, since a crash
    /// can fall between appending a line and saving `state.json`.
    public var lastRecord: HistoryRecord?

    public init(quarantined: QuarantinedTail? = nil, unparseable: [BrokenLine] = [], lastRecord: HistoryRecord? = nil) {
        self.quarantined = quarantined
        self.unparseable = unparseable
        self.lastRecord = lastRecord
    }
}

/// An unterminated last line (a write cut short by a crash), moved into a quarantine file.
public struct QuarantinedTail: Sendable, Hashable, CustomStringConvertible {
    /// The segment it was cut from.
    public var file: String
    /// Where it started in that segment; the segment now ends there.
    public var offset: Int
    public var length: Int
    /// `history/quarantine-<time>.jsonl`, holding its bytes as they were.
    public var quarantineFile: String

    public init(file: String, offset: Int, length: Int, quarantineFile: String) {
        self.file = file
        self.offset = offset
        self.length = length
        self.quarantineFile = quarantineFile
    }

    public var description: String {
        "\(file): unterminated last line of \(length) bytes at offset \(offset) moved to \(quarantineFile)"
    }
}
