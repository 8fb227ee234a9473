/// When history lines are fsynced.
public enum HistorySyncPolicy: Sendable, Hashable {
    /// After every line: nothing acknowledged is ever lost, one fsync per page-variant scan.
    case everyLine
    /// When the caller calls `sync()`, after each scan pass: a power loss loses at most that pass.
    case onSync
}
