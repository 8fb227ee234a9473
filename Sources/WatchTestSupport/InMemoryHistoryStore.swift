import Watch

/// The in-memory twin of `HistoryLog`: the same chained lines, kept in a dictionary of segments.
public final class InMemoryHistoryStore: HistoryStore {
    /// Segment name (`2026-11-29.jsonl`) to its bytes.
    public private(set) var segments: [String: [UInt8]] = [:]
    /// How many times `sync()` was called.
    public private(set) var syncs = 0
    private var chain = HistoryChainWriter()

    public init() {}

    @discardableResult
    public func append(_ record: HistoryRecord) throws(FileError) -> HistoryRecord {
        let next = chain.next(record)
        segments[next.segment, default: []].append(contentsOf: next.line)
        return next.record
    }

    public func sync() throws(FileError) { syncs += 1 }

    /// The records appended, in order.
    public var records: [HistoryRecord] {
        segments.keys.sorted().flatMap { name in
            (segments[name] ?? []).split(separator: 0x0A).compactMap { try? HistoryRecord.parse($0).get() }
        }
    }

    /// Checks the chain as `HistoryLog.verify` does.
    public func verify() -> BrokenLine? {
        var checker = HistoryChain()
        for name in segments.keys.sorted() {
            if let broken = checker.check(file: name, bytes: segments[name] ?? []) { return broken }
        }
        return nil
    }
}
