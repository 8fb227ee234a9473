import Foundation
import Glibc
import Testing

@testable import Watch

@Suite("sd_notify")
struct SystemdNotifierTests {
    /// A bound Unix datagram socket, as systemd listens on.
    final class Listener {
        let fd: Int32

        init(path: String) throws {
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_un()
            let length = try SystemdNotifier.fill(&address, path: path)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            try #require(bound == 0, "bind \(path): errno \(errno)")
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        /// The next datagram, or nil after two seconds.
        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 4_096)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            return count < 0 ? nil : String(decoding: buffer[0..<count], as: UTF8.self)
        }
    }

    @Test("each notification is one datagram on the socket path, in order")
    func path() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let listener = try Listener(path: dir.path + "/notify")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": dir.path + "/notify"])
        try notifier.notify(.status("2 pages, next scan in 3m"), .ready)
        try notifier.notify(.watchdog)
        try notifier.notify(.reloading(monotonicMicroseconds: 123_456_789))
        try notifier.notify(.status("bad config:\nline 2"))
        try notifier.notify(.stopping)
        #expect(listener.receive() == "STATUS=2 pages, next scan in 3m\nREADY=1")
        #expect(listener.receive() == "WATCHDOG=1")
        #expect(listener.receive() == "RELOADING=1\nMONOTONIC_USEC=123456789")
        #expect(listener.receive() == "STATUS=bad config: line 2")
        #expect(listener.receive() == "STOPPING=1")
    }

    @Test("a socket starting with @ is in the abstract namespace")
    func abstract() throws {
        let name = "@cookiewatch-test-\(UUID().uuidString)"
        let listener = try Listener(path: name)
        try SystemdNotifier(environment: ["NOTIFY_SOCKET": name]).notify(.ready)
        #expect(listener.receive() == "READY=1")
    }

    @Test("RELOADING carries the current monotonic time")
    func reloadingNow() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        guard case .reloading(let microseconds) = NotifyMessage.reloading() else {
            Issue.record("not a reloading message")
            return
        }
        let before = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        #expect(microseconds >= before && microseconds < before + 5_000_000)
    }

    @Test("without NOTIFY_SOCKET nothing is sent and nothing fails")
    func unset() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.socket == nil)
        try notifier.notify(.ready, .stopping)
    }

    @Test("a socket nobody listens on is an error naming it")
    func nobody() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(throws: FileError.self) {
            try SystemdNotifier(environment: ["NOTIFY_SOCKET": dir.path + "/absent"]).notify(.ready)
        }
    }

    @Test(
        "the watchdog interval is half of WATCHDOG_USEC, only for this process",
        arguments: [
            (["WATCHDOG_USEC": "20000000"], Duration?.some(.seconds(10))),
            (["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "1"], nil),
            (["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": String(getpid())], .seconds(10)),
            ([:], nil),
            (["WATCHDOG_USEC": "0"], nil),
        ])
    func watchdog(environment: [String: String], expected: Duration?) {
        #expect(SystemdNotifier.watchdogInterval(environment: environment) == expected)
    }
}
