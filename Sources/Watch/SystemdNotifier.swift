import Glibc

/// sd_notify without libsystemd: one datagram per notification to `$NOTIFY_SOCKET`.
public struct SystemdNotifier: Sendable {
    /// The socket from `NOTIFY_SOCKET`: a path, or `@name` for the abstract namespace; nil means
    /// not started by systemd, and every notification is a no-op.
    public let socket: String?

    public init(environment: [String: String]) {
        socket = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Sends `messages` in one datagram, one `KEY=value` per line; does nothing without a socket.
    public func notify(_ messages: NotifyMessage...) throws(FileError) {
        try notify(messages)
    }

    /// Sends `messages` in one datagram, one `KEY=value` per line; does nothing without a socket.
    /// Never blocks: when the receiver's queue is full the datagram is refused (`EAGAIN`) rather than
    /// holding up the daemon's loop.
    public func notify(_ messages: [NotifyMessage]) throws(FileError) {
        guard let socket, !messages.isEmpty else { return }
        let payload = Array(messages.map(\.text).joined(separator: "\n").utf8)
        var address = sockaddr_un()
        let length = try Self.fill(&address, path: socket)
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(socket, "open a notification socket") }
        defer { close(fd) }
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                payload.withUnsafeBytes {
                    sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT), raw, length)
                }
            }
        }
        guard sent >= 0 else { throw .system(socket, "send \(messages.first?.text.prefix(12) ?? "") to") }
    }

    /// Half of `WATCHDOG_USEC` when the watchdog is on for this process (`WATCHDOG_PID` unset or ours).
    public static func watchdogInterval(environment: [String: String]) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else {
            return nil
        }
        if let pid = environment["WATCHDOG_PID"], pid != String(getpid()) { return nil }
        return .microseconds(microseconds / 2)
    }

    /// Fills a Unix socket address for `path` (a leading `@` means the abstract namespace) and
    /// returns its length.
    static func fill(_ address: inout sockaddr_un, path: String) throws(FileError) -> socklen_t {
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw FileError(file: path, operation: "notify", reason: "socket path longer than \(capacity - 1) bytes")
        }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        // An abstract name is exactly its bytes; a path is NUL-terminated.
        return socklen_t(offset + bytes.count + (abstract ? 0 : 1))
    }
}
