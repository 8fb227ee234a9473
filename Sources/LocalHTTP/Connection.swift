#if canImport(Glibc)
    import Glibc
#endif

/// One accepted socket, with waits that also end when the server's wake pipe becomes readable.
struct Connection {
    let fd: Int32
    let wake: Int32
    /// How long a read may wait for the peer; nil: as long as it takes (a test's hanging client).
    var idleTimeout: Duration? = nil

    /// Requests larger than this are refused by closing: a test server needs no more.
    static let maxHeadBytes = 64 * 1024

    /// Reads up to the blank line ending a request head; nil on close, stop, or an oversized head.
    /// Bytes after the head (a pipelined request) stay in `buffer`.
    /// With an `idleTimeout`, the whole head must arrive within it (a peer trickling a byte at a time
    /// does not hold the connection longer).
    func readHead(into buffer: inout [UInt8]) -> ArraySlice<UInt8>? {
        let terminator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        let deadline = idleTimeout.map { ContinuousClock.now + $0 }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let end = buffer.firstRange(of: terminator) {
                let head = buffer[..<end.lowerBound]
                let rest = Array(buffer[end.upperBound...])
                defer { buffer = rest }
                return ArraySlice(Array(head))
            }
            guard buffer.count < Self.maxHeadBytes, waitReadable(until: deadline) else { return nil }
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }

    /// Reads exactly `count` body bytes (a request's Content-Length), taking what `buffer` already holds
    /// first; nil on close, stop, or a body over `maxBodyBytes`.
    func readBody(count: Int, from buffer: inout [UInt8]) -> [UInt8]? {
        guard count <= Self.maxBodyBytes else { return nil }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while buffer.count < count {
            guard waitReadable() else { return nil }
            let received = recv(fd, &chunk, chunk.count, 0)
            guard received > 0 else { return nil }
            buffer += chunk[..<received]
        }
        let body = Array(buffer[..<count])
        buffer.removeFirst(count)
        return body
    }

    /// Request bodies larger than this are refused by closing.
    static let maxBodyBytes = 1024 * 1024

    /// Writes all of `bytes`; false when the peer is gone or the server is stopping.
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Sleeps for `duration` unless the server stops first; false when it stopped.
    func wait(_ duration: Duration) -> Bool {
        guard duration > .zero else { return true }
        var fds = [pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        let (seconds, attoseconds) = duration.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        return poll(&fds, 1, milliseconds) == 0
    }

    /// Blocks until the client closes the connection or the server stops.
    func waitForStopOrClose() {
        var scratch = [UInt8](repeating: 0, count: 4096)
        while waitReadable(), recv(fd, &scratch, scratch.count, 0) > 0 {}
    }

    /// Arms a TCP RST: with SO_LINGER at zero, the close() that ends the connection aborts it.
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }

    /// Waits until the socket is readable (or closed); false when the server is stopping, or the peer
    /// stayed silent for `idleTimeout` or past `deadline`.
    private func waitReadable(until deadline: ContinuousClock.Instant? = nil) -> Bool {
        var fds = [
            pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        var timeout = idleTimeout.map { Int32(clamping: $0.components.seconds * 1000) } ?? -1
        if let deadline {
            let left = (deadline - .now).components
            timeout = min(
                timeout, Int32(clamping: max(0, left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000)))
        }
        while true {
            let ready = poll(&fds, 2, timeout)
            if ready < 0, errno == EINTR { continue }
            return ready > 0 && fds[1].revents == 0
        }
    }
}
