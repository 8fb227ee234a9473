import Watch

/// Why the daemon cannot start, and the exit code that says so (2: a file the operator must fix).
public struct DaemonStartupError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var exitCode: Int32
    public var description: String { message }

    init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }
}

extension WatchState {
    /// Brings the saved state up to the history's last line: a crash can fall between appending a
    /// line and saving the state, and the next scan must compare against what history says.
    mutating func catchUp(with record: HistoryRecord?) {
        guard let record, case .cookies(let digest, let cookies, _) = record.outcome else { return }
        if let index = pages.firstIndex(where: { $0.site == record.site && $0.page == record.page }) {
            guard pages[index].lastDigest != digest else { return }
            pages[index].lastDigest = digest
            pages[index].lastCookies = cookies
        } else {
            pages.append(
                PageState(
                    site: record.site, page: record.page, lastDigest: digest, lastCookies: cookies,
                    consecutiveFailures: 0, nextDue: nil))
        }
    }
}
