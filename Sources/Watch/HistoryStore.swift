/// Where history lines go: `HistoryLog` on disk, or an in-memory twin in tests.
public protocol HistoryStore: AnyObject {
    /// Appends `record` as one line chained to the previous one; returns it with `prev` set.
    @discardableResult
    func append(_ record: HistoryRecord) throws(FileError) -> HistoryRecord

    /// Makes every appended line durable (called after each scan pass).
    func sync() throws(FileError)
}
