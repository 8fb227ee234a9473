import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A `NOTIFY_SOCKET` for tests: a Unix datagram socket that collects what a service tells systemd,
/// drained by its own thread as systemd drains it, so the service never finds the queue full.
public final class NotifySocket: Sendable {
    public let path: String
    private final class Inbox: Sendable {
        let messages = Mutex<[String]>([])
        let open = Atomic<Bool>(true)
    }
    private let inbox = Inbox()

    public init() throws {
        path = "/tmp/cw-notify-\(UUID().uuidString.prefix(8)).sock"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("cannot open a datagram socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            close(fd)
            throw TestFailure("cannot bind \(path)")
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let inbox = inbox
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while inbox.open.load(ordering: .acquiring) {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { continue }
                let message = String(decoding: buffer[0..<count], as: UTF8.self)
                inbox.messages.withLock { $0.append(message) }
            }
            close(fd)
        }
    }

    deinit {
        inbox.open.store(false, ordering: .releasing)
        unlink(path)
    }

    /// Every datagram received so far, in order (each one `KEY=value` lines joined by newlines).
    public var messages: [String] { inbox.messages.withLock { $0 } }
}
