import Foundation
import Glibc

/// The history on disk: `history/YYYY-MM-DD.jsonl` segments, appended on an `O_APPEND` descriptor in one
/// `write(2)` per sync (the lines appended since), so a crash leaves at most one unterminated last line.
public final class HistoryLog: HistoryStore {
    /// The `history` directory.
    public let directory: String
    public let syncPolicy: HistorySyncPolicy
    private var chain: HistoryChainWriter
    private var current: (segment: String, fd: Int32)?
    private var dirty = false
    /// Chained lines (newline included) not yet written to the open segment.
    private var held: [UInt8] = []
    /// Lines and bytes appended by this process.
    public private(set) var linesWritten = 0
    public private(set) var bytesWritten = 0
    /// The directory, held with an exclusive `flock` while the log is open.
    private let lock: Int32

    private init(directory: String, syncPolicy: HistorySyncPolicy, chain: HistoryChainWriter, lock: Int32) {
        self.directory = directory
        self.syncPolicy = syncPolicy
        self.chain = chain
        self.lock = lock
    }

    deinit {
        // Lines appended and never synced are written, not fsynced (a log dropped without `sync`).
        try? writeHeld()
        if let current { close(current.fd) }
        close(lock)
    }

    /// Opens (creating) `directory`, quarantines an unterminated last line and reports the last complete
    /// line if it does not parse; `now` names the quarantine file.
    public static func open(
        directory: String, syncPolicy: HistorySyncPolicy = .onSync, now: Date
    ) throws(FileError) -> (log: HistoryLog, recovery: HistoryRecovery) {
        try PosixFile.makeDirectory(directory)
        // Two writers would interleave two chains: a second daemon on the same state must fail here.
        let lock = try PosixFile.lockExclusively(directory)
        do {
            let (chain, recovery) = try recover(directory, now: now)
            return (HistoryLog(directory: directory, syncPolicy: syncPolicy, chain: chain, lock: lock), recovery)
        } catch {
            close(lock)
            throw error
        }
    }

    /// Repairs the last segment and finds where the chain continues.
    private static func recover(_ directory: String, now: Date) throws(FileError) -> (
        HistoryChainWriter, HistoryRecovery
    ) {
        let names = try segments(in: directory)
        var recovery = HistoryRecovery()
        guard let lastName = names.last else { return (HistoryChainWriter(), recovery) }
        let lastPath = directory + "/" + lastName
        // Only the segment's end is read: a crash can tear only the last line, and `history verify`
        // checks every line.
        let end = try SegmentEnd.read(lastPath) ?? SegmentEnd()
        if !end.tail.isEmpty {
            let target = try quarantine(end.tail, directory: directory, now: now)
            try PosixFile.truncate(lastPath, to: end.tailOffset)
            recovery.quarantined = QuarantinedTail(
                file: lastPath, offset: end.tailOffset, length: end.tail.count, quarantineFile: target)
        }
        // The chain continues from the last complete line, which may sit in an earlier segment.
        var lastHash = HexDigest.zero
        var lastLine = end.lastLine
        var segment = lastName
        for name in names.reversed().dropFirst() where lastLine == nil {
            segment = name
            lastLine = try SegmentEnd.read(directory + "/" + name)?.lastLine
        }
        if let line = lastLine {
            lastHash = HexDigest.sha256(line.bytes[...])
            switch HistoryRecord.parse(line.bytes[...]) {
            case .success(let record): recovery.lastRecord = record
            case .failure(let problem):
                let path = directory + "/" + segment
                recovery.unparseable.append(
                    BrokenLine(
                        file: path, line: try SegmentEnd.lineNumber(at: line.offset, in: path), offset: line.offset,
                        reason: problem.description))
            }
        }
        return (HistoryChainWriter(lastHash: lastHash, lastSegment: lastName), recovery)
    }

    /// Chains `record` and holds its line until `sync` (or the next line of another day) writes the lines
    /// held, in one `write(2)`: a line is durable only once synced anyway, and the daemon saves its state
    /// only after that, so a crash loses the held lines together with the state that would name them.
    /// With `.everyLine` each line is written and synced at once.
    @discardableResult
    public func append(_ record: HistoryRecord) throws(FileError) -> HistoryRecord {
        var advanced = chain
        let next = advanced.next(record)
        if let current, current.segment != next.segment { try writeHeld() }
        let fd = try descriptor(for: next.segment)
        if syncPolicy == .everyLine {
            try PosixFile.appendLine(fd, next.line, file: directory + "/" + next.segment)
        } else {
            held += next.line
        }
        chain = advanced
        dirty = true
        linesWritten += 1
        bytesWritten += next.line.count
        if syncPolicy == .everyLine { try sync() }
        return next.record
    }

    /// Writes the lines held and fsyncs the open segment.
    public func sync() throws(FileError) {
        try writeHeld()
        guard dirty, let current else { return }
        try PosixFile.sync(current.fd, file: directory + "/" + current.segment)
        dirty = false
    }

    /// The lines held, to the open segment in one write; on a failed write the segment is cut back
    /// to where it was and the lines stay held (the daemon stops on the error).
    private func writeHeld() throws(FileError) {
        guard !held.isEmpty, let current else { return }
        try PosixFile.appendLine(current.fd, held, file: directory + "/" + current.segment)
        held.removeAll(keepingCapacity: true)
    }

    /// Removes segments whose day is more than `days` days before `now`'s; returns their paths.
    public func removeSegments(olderThan days: Int, now: Date) throws(FileError) -> [String] {
        let cutoff = HistorySegmentName.day(of: CivilTimeText.seconds(now) - Int64(days) * 86_400)
        var removed: [String] = []
        for name in try Self.segments(in: directory) where name < cutoff + HistorySegmentName.suffix {
            guard name != current?.segment else { continue }
            try PosixFile.remove(directory + "/" + name)
            removed.append(directory + "/" + name)
        }
        if !removed.isEmpty { try PosixFile.syncDirectory(directory) }
        return removed
    }

    /// Walks every segment of `directory` in order and returns the counts and the first broken line;
    /// a directory that does not exist yet is an empty, intact history.
    public static func verify(directory: String) throws(FileError) -> HistoryVerification {
        var chain = HistoryChain()
        var names: [String] = []
        do {
            names = try segments(in: directory)
        } catch  where error.errno == ENOENT {
            names = []
        }
        for name in names {
            let path = directory + "/" + name
            if let broken = chain.check(file: path, bytes: try PosixFile.read(path) ?? []) {
                return HistoryVerification(chain: chain, broken: broken)
            }
        }
        return HistoryVerification(chain: chain, broken: nil)
    }

    /// The segment names in `directory`, oldest first.
    static func segments(in directory: String) throws(FileError) -> [String] {
        try PosixFile.list(directory).filter(HistorySegmentName.isSegment).sorted()
    }

    private func descriptor(for segment: String) throws(FileError) -> Int32 {
        if let current, current.segment == segment { return current.fd }
        if let previous = current {
            try sync()
            close(previous.fd)
            current = nil
        }
        let path = directory + "/" + segment
        let existed = access(path, F_OK) == 0
        let fd = try PosixFile.openAppend(path)
        current = (segment, fd)
        // A new segment's directory entry must survive a power loss along with its lines.
        if !existed { try PosixFile.syncDirectory(directory) }
        return fd
    }

    private static func quarantine(_ bytes: [UInt8], directory: String, now: Date) throws(FileError)
        -> String
    {
        let stem = directory + "/quarantine-" + CivilTimeText.compact(now)
        var attempt = 0
        while true {
            let target = attempt == 0 ? stem + ".jsonl" : stem + "-\(attempt).jsonl"
            do {
                try PosixFile.create(target, bytes, mode: 0o640)
                try PosixFile.syncDirectory(directory)
                return target
            } catch  where error.errno == EEXIST {
                attempt += 1
            }
        }
    }
}

/// The outcome of `history verify`: how much was checked and the first broken line, if any.
public struct HistoryVerification: Sendable, Hashable {
    public var segments: Int
    public var lines: Int
    /// The first line's `prev`: 64 zeros unless retention removed older segments.
    public var anchor: String?
    public var broken: BrokenLine?

    init(chain: HistoryChain, broken: BrokenLine?) {
        segments = chain.segments
        lines = chain.lines
        anchor = chain.anchor
        self.broken = broken
    }
}
