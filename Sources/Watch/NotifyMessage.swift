import Glibc

/// A state change told to systemd (sd_notify(3)); several can go in one datagram.
public enum NotifyMessage: Sendable, Hashable {
    /// Startup finished: config, state and history are loaded.
    case ready
    /// A line for `systemctl status`.
    case status(String)
    /// The service is alive (`WatchdogSec=`).
    case watchdog
    /// A reload began at this `CLOCK_MONOTONIC` time; `reloading()` reads the clock.
    case reloading(monotonicMicroseconds: UInt64)
    /// Shutdown began.
    case stopping

    /// `RELOADING=1` with the current `CLOCK_MONOTONIC` time, as `Type=notify-reload` requires.
    public static func reloading() -> NotifyMessage {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return .reloading(monotonicMicroseconds: UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000)
    }

    /// The `KEY=value` lines of the message.
    public var text: String {
        switch self {
        case .ready: return "READY=1"
        // A newline would start another assignment: a status is one line.
        case .status(let line): return "STATUS=" + line.split(whereSeparator: \.isNewline).joined(separator: " ")
        case .watchdog: return "WATCHDOG=1"
        case .reloading(let microseconds): return "RELOADING=1\nMONOTONIC_USEC=\(microseconds)"
        case .stopping: return "STOPPING=1"
        }
    }
}
