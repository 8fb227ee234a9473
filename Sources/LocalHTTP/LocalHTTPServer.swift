import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A small, real HTTP/1.1 server, scripted by routes: for tests, the demo site and benchmarks, and the
/// daemon's `/metrics` endpoint (which keeps no requests, caps its connections and drops idle ones).
///
/// One thread accepts; each connection gets its own thread (hanging and trickling peers must not block
/// the others). Every wait also watches a wake pipe, so `stop()` ends all of them promptly.
public final class LocalHTTPServer: Sendable {
    /// Answers one request.
    public typealias Handler = @Sendable (ReceivedRequest) -> Reply

    /// The port every address listens on.
    public let port: Int
    /// The addresses listened on, e.g. `127.0.0.1` and `127.0.0.2` to stand for two hosts.
    public let addresses: [String]

    private struct State {
        var routes: [String: Handler]
        var fallback: Handler
        var connections: Set<Int32> = []
        var requests: [ReceivedRequest] = []
        var inFlight = 0
        var maxInFlight = 0
        var accepted = 0
        var stopping = false
    }

    private let listeners: [Int32]
    private let keepsRequests: Bool
    private let maxConnections: Int
    private let idleTimeout: Duration?
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let state: Mutex<State>
    private let threads = DispatchGroup()

    /// Starts listening on `port` (0: a free one, the same on every address) and serving `routes` by
    /// path. Paths without a route get `fallback`, by default a 404. A long-running server sets
    /// `keepsRequests` to false (`requests` stays empty), caps its connections (more are closed at
    /// once) and closes a connection idle for `idleTimeout`.
    public init(
        addresses: [String] = ["127.0.0.1"], port: Int = 0, routes: [String: Handler] = [:], fallback: Handler? = nil,
        keepsRequests: Bool = true, maxConnections: Int = .max, idleTimeout: Duration? = nil
    ) throws(LocalHTTPError) {
        precondition(!addresses.isEmpty, "LocalHTTPServer needs at least one address")
        var fds: [Int32] = []
        var port = port
        do throws(LocalHTTPError) {
            for address in addresses {
                let (fd, bound) = try Self.listen(on: address, port: port)
                fds.append(fd)
                port = bound
            }
        } catch {
            fds.forEach { _ = close($0) }
            throw error
        }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            fds.forEach { _ = close($0) }
            throw LocalHTTPError("pipe() failed: \(String(cString: strerror(errno)))")
        }
        self.port = port
        self.addresses = addresses
        self.listeners = fds
        self.keepsRequests = keepsRequests
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.wakeRead = pipeFDs[0]
        self.wakeWrite = pipeFDs[1]
        self.state = Mutex(
            State(routes: routes, fallback: fallback ?? { _ in .respond(Response(status: 404, body: "no route")) }))
        threads.enter()
        let acceptor = Thread { [self] in
            acceptLoop()
            threads.leave()
        }
        acceptor.name = "LocalHTTP.accept"
        acceptor.start()
    }

    deinit {
        stop()
        _ = close(wakeRead)
        _ = close(wakeWrite)
    }

    /// Adds or replaces the handler for `path` (the request target without its query).
    public func route(_ path: String, _ handler: @escaping Handler) {
        state.withLock { $0.routes[path] = handler }
    }

    /// `http://host:port/path`; `host` defaults to the first address.
    public func url(_ path: String, host: String? = nil) -> String {
        "http://\(host ?? addresses[0]):\(port)\(path.hasPrefix("/") ? path : "/" + path)"
    }

    /// Every request received so far, in arrival order.
    public var requests: [ReceivedRequest] { state.withLock { $0.requests } }

    /// Connections accepted so far: fewer than requests means clients reused connections.
    public var acceptedConnections: Int { state.withLock { $0.accepted } }

    /// The most requests that were being answered at the same moment.
    public var maxConcurrentRequests: Int { state.withLock { $0.maxInFlight } }

    /// Stops accepting, ends every connection (hanging and trickling ones included) and waits for
    /// the threads to finish. Safe to call more than once.
    public func stop() {
        let first = state.withLock { state in
            defer { state.stopping = true }
            guard !state.stopping else { return false }
            for fd in state.connections { _ = shutdown(fd, Int32(SHUT_RDWR)) }
            return true
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // never read: the pipe stays readable, waking every wait
        threads.wait()
        listeners.forEach { _ = close($0) }
    }

    // MARK: - Accepting

    private func acceptLoop() {
        var fds = listeners.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        fds.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
        while true {
            guard poll(&fds, nfds_t(fds.count), -1) >= 0 || errno == EINTR else { return }
            if fds[fds.count - 1].revents != 0 { return }
            for index in listeners.indices where fds[index].revents != 0 {
                let client = accept(fds[index].fd, nil, nil)
                guard client >= 0 else {
                    // Out of descriptors: the pending connection stays readable, so back off instead of
                    // spinning; the wake pipe still ends the wait at once.
                    if errno == EMFILE || errno == ENFILE {
                        var wake = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
                        _ = poll(&wake, 1, 100)
                    }
                    continue
                }
                var one: Int32 = 1
                _ = setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                if let idleTimeout {
                    // A peer that stops reading cannot hold a sending thread longer than this.
                    var limit = timeval(tv_sec: Int(idleTimeout.components.seconds), tv_usec: 0)
                    _ = setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                }
                let registered = state.withLock { state in
                    guard !state.stopping, state.connections.count < maxConnections else { return false }
                    state.connections.insert(client)
                    state.accepted += 1
                    return true
                }
                guard registered else {
                    _ = close(client)
                    if state.withLock({ $0.stopping }) { return }
                    continue
                }
                let address = addresses[index]
                threads.enter()
                let thread = Thread { [self] in
                    serve(Connection(fd: client, wake: wakeRead, idleTimeout: idleTimeout), localAddress: address)
                    state.withLock { _ = $0.connections.remove(client) }
                    _ = close(client)
                    threads.leave()
                }
                thread.start()
            }
        }
    }

    // MARK: - Serving one connection

    private func serve(_ connection: Connection, localAddress: String) {
        var buffer: [UInt8] = []
        while let head = connection.readHead(into: &buffer) {
            guard var request = ReceivedRequest(head: head, localAddress: localAddress, localPort: port) else {
                _ = connection.send(Response(status: 400, body: "bad request").head())
                return
            }
            if let length = request.header("Content-Length").flatMap({ Int($0) }), length > 0 {
                guard let body = connection.readBody(count: length, from: &buffer) else { return }
                request.body = body
            }
            let handler = state.withLock { state in
                if keepsRequests { state.requests.append(request) }
                state.inFlight += 1
                state.maxInFlight = max(state.maxInFlight, state.inFlight)
                return state.routes[request.path] ?? state.fallback
            }
            let keepOpen = answer(handler(request), on: connection)
            state.withLock { $0.inFlight -= 1 }
            guard keepOpen, request.header("Connection")?.lowercased() != "close" else { return }
        }
    }

    /// Performs the reply; false when the connection must close afterwards.
    private func answer(_ reply: Reply, on connection: Connection) -> Bool {
        switch reply {
        case .respond(let response):
            guard connection.wait(response.delay) else { return false }
            return connection.send(response.head() + response.body)
        case .trickle(let response, let interval):
            for byte in response.head() + response.body {
                guard connection.wait(interval), connection.send([byte]) else { return false }
            }
            return true
        case .hang:
            connection.waitForStopOrClose()
            return false
        case .reset:
            connection.reset()
            return false
        case .endless(let response):
            guard connection.send(response.head(endless: true)) else { return false }
            let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
            while connection.send(chunk) {}
            return false
        }
    }

    // MARK: - Listening sockets

    private static func listen(on address: String, port: Int) throws(LocalHTTPError) -> (Int32, Int) {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
            throw LocalHTTPError("\"\(address)\" is not an IPv4 address to listen on")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LocalHTTPError("socket() failed: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 1024) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = close(fd)
            throw LocalHTTPError("cannot listen on \(address):\(port): \(reason)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            _ = close(fd)
            throw LocalHTTPError("getsockname() failed on \(address): \(String(cString: strerror(errno)))")
        }
        return (fd, Int(UInt16(bigEndian: socketAddress.sin_port)))
    }
}

/// The server could not start; the message names the address and the failing call.
public struct LocalHTTPError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
