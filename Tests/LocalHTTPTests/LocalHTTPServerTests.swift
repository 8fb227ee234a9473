import LocalHTTP
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("LocalHTTPServer serves scripted responses and stops cleanly")
struct LocalHTTPServerTests {
    @Test("a route's status line and headers arrive in the scripted order, bytes untouched")
    func headersInOrder() throws {
        let server = try LocalHTTPServer(routes: [
            "/x": { _ in
                .respond(
                    Response(
                        status: 302,
                        headers: [
                            HeaderLine("Set-Cookie", "b=2"), HeaderLine("Set-Cookie", "a=1"),
                            HeaderLine("X-Raw", bytes: [0xFF]),
                        ], body: "hi"))
            }
        ])
        defer { server.stop() }

        let reply = try exchange(
            port: server.port, request: "GET /x?q=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")

        let expected: [UInt8] =
            Array("HTTP/1.1 302 Found\r\nSet-Cookie: b=2\r\nSet-Cookie: a=1\r\nX-Raw: ".utf8) + [0xFF]
            + Array("\r\nContent-Length: 2\r\n\r\nhi".utf8)
        #expect(reply == expected)
        #expect(server.requests.map(\.path) == ["/x"])
        #expect(server.requests.first?.target == "/x?q=1")
        #expect(server.requests.first?.header("host") == "t")
    }

    @Test("a path without a route is answered 404")
    func unknownPath() throws {
        let server = try LocalHTTPServer()
        defer { server.stop() }

        let reply = try exchange(port: server.port, request: "GET /nowhere HTTP/1.1\r\nConnection: close\r\n\r\n")

        #expect(String(decoding: reply, as: UTF8.self).hasPrefix("HTTP/1.1 404 "))
    }

    @Test("every address listens on the same port and requests record which one they came to")
    func twoAddresses() throws {
        let server = try LocalHTTPServer(
            addresses: ["127.0.0.1", "127.0.0.2"], routes: ["/": { _ in .respond(Response()) }])
        defer { server.stop() }

        _ = try exchange(port: server.port, host: "127.0.0.2", request: "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")

        #expect(server.requests.map(\.localAddress) == ["127.0.0.2"])
        #expect(server.url("/a", host: "127.0.0.2") == "http://127.0.0.2:\(server.port)/a")
    }

    @Test("stop ends hanging and trickling connections promptly")
    func stopEndsSlowConnections() async throws {
        let server = try LocalHTTPServer(routes: [
            "/hang": { _ in .hang }, "/trickle": { _ in .trickle(Response(), interval: .seconds(30)) },
        ])
        let hanging = try connect(port: server.port)
        let trickling = try connect(port: server.port)
        defer {
            close(hanging)
            close(trickling)
        }
        try send(hanging, "GET /hang HTTP/1.1\r\n\r\n")
        try send(trickling, "GET /trickle HTTP/1.1\r\n\r\n")
        while server.requests.count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        let started = ContinuousClock.now

        server.stop()

        // Far below the 30 s trickle; generous because a loaded 2-core machine delays thread wake-ups.
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}

@Suite("LocalHTTP as a long-running endpoint (the daemon's /metrics)")
struct LocalHTTPEndpointTests {
    /// Reads until the server closes the connection; the seconds it took.
    func secondsUntilClosed(_ fd: Int32) -> Double {
        let started = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 4096)
        while recv(fd, &buffer, buffer.count, 0) > 0 {}
        let elapsed = (ContinuousClock.now - started).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    @Test("keeps no requests and closes connections past its cap at once")
    func capped() async throws {
        let server = try LocalHTTPServer(
            routes: ["/metrics": { _ in .respond(Response(body: "x 1\n")) }], keepsRequests: false,
            maxConnections: 2, idleTimeout: .seconds(30))
        defer { server.stop() }
        let reply = try exchange(port: server.port, request: "GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(String(decoding: reply, as: UTF8.self).hasSuffix("x 1\n"))
        #expect(server.requests.isEmpty)
        let first = try connect(port: server.port)
        let second = try connect(port: server.port)
        defer {
            close(first)
            close(second)
        }
        while server.acceptedConnections < 3 { try await Task.sleep(for: .milliseconds(5)) }
        // Both slots are held (for up to 30 s): a third connection is closed without an answer.
        let refused = try connect(port: server.port)
        defer { close(refused) }
        try? send(refused, "GET /metrics HTTP/1.1\r\n\r\n")
        #expect(secondsUntilClosed(refused) < 5)
    }

    @Test("drops a silent peer, and one trickling its request head, after the idle timeout")
    func idlePeers() async throws {
        let server = try LocalHTTPServer(
            routes: ["/metrics": { _ in .respond(Response(body: "x 1\n")) }], keepsRequests: false,
            idleTimeout: .seconds(1))
        defer { server.stop() }
        let silent = try connect(port: server.port)
        let trickling = try connect(port: server.port)
        defer {
            close(silent)
            close(trickling)
        }
        // A byte every 0.4 s: each read is within the timeout, but the head never completes; the whole
        // head must arrive within it. Without that it would hold the connection 12 s and more.
        let trickler = Task.detached {
            for byte in "GET /metrics HTTP/1.1\r\nX-Slow: 1234567890\r\n" {
                try? send(trickling, String(byte))
                try? await Task.sleep(for: .milliseconds(400))
            }
        }
        defer { trickler.cancel() }
        #expect(secondsUntilClosed(trickling) < 6)
        #expect(secondsUntilClosed(silent) < 6)
    }
}

struct ClientError: Error, CustomStringConvertible {
    let description: String
}

func connect(port: Int, host: String = "127.0.0.1") throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr(host)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard fd >= 0, connected == 0 else {
        close(fd)
        throw ClientError(description: "cannot connect to \(host):\(port): \(String(cString: strerror(errno)))")
    }
    return fd
}

func send(_ fd: Int32, _ text: String) throws {
    let bytes = Array(text.utf8)
    guard Glibc.send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
        throw ClientError(description: "send failed: \(String(cString: strerror(errno)))")
    }
}

/// Sends `request` and reads until the server closes the connection.
func exchange(port: Int, host: String = "127.0.0.1", request: String) throws -> [UInt8] {
    let fd = try connect(port: port, host: host)
    defer { close(fd) }
    try send(fd, request)
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return reply }
        reply += buffer[..<count]
    }
}
