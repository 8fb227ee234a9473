import Foundation
import Glibc

/// `alerts.jsonl`: one JSON line per alert event, each written with one `write(2)` on an `O_APPEND`
/// descriptor, and fsynced once per delivery so that a delivered pass survives a power loss.
///
/// Lines carry the finding (id, kind, severity, site, cookie name, message, pages), never a value.
public final class AlertsLog: AlertSink {
    public let path: String
    private let fd: Int32

    /// Opens (creating, mode 0640) the log at `path`, usually `STATE/alerts.jsonl`.
    public init(path: String) throws(FileError) {
        self.path = path
        fd = try PosixFile.openAppend(path)
    }

    deinit { close(fd) }

    public func deliver(_ events: [AlertEvent]) throws(FileError) {
        guard !events.isEmpty else { return }
        for event in events {
            try PosixFile.appendLine(fd, WatchJSON.encode(event) + [0x0A], file: path)
        }
        try PosixFile.sync(fd, file: path)
    }

    /// Reads the log at `path` before it is opened for appending: cuts an unterminated last line (a
    /// write cut short by a power loss), whose length and offset it returns, and returns the events of
    /// the lines that parse. A missing file is an empty log.
    public static func recover(path: String) throws(FileError) -> (
        events: [AlertEvent], cut: (offset: Int, length: Int)?
    ) {
        guard let bytes = try PosixFile.read(path) else { return ([], nil) }
        let split = HistoryLines(bytes)
        var cut: (offset: Int, length: Int)?
        if let tail = split.tail {
            try PosixFile.truncate(path, to: tail.lowerBound)
            cut = (tail.lowerBound, tail.count)
        }
        let events = split.lines.compactMap { try? WatchJSON.decoder.decode(AlertEvent.self, from: Data(bytes[$0])) }
        return (events, cut)
    }

    /// The events in the bytes of an alerts log, or its first line that is not one.
    public static func parse(_ bytes: [UInt8], file: String) -> Result<[AlertEvent], BrokenLine> {
        var events: [AlertEvent] = []
        for (index, range) in HistoryLines(bytes).lines.enumerated() {
            do {
                events.append(try WatchJSON.decoder.decode(AlertEvent.self, from: Data(bytes[range])))
            } catch {
                return .failure(
                    BrokenLine(
                        file: file, line: index + 1, offset: range.lowerBound,
                        reason: (error as? DecodingError).map(DecodingErrorText.describe) ?? "not JSON"))
            }
        }
        return .success(events)
    }
}
