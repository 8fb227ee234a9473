import Foundation
import NetworkAddress
import Synchronization
import Transport

#if canImport(Glibc)
    import Glibc
#endif

/// The only way out for one browser visit: an HTTP proxy on loopback that Chromium's browser context
/// must use for every request (loopback included), which resolves each name itself, checks every
/// address with the visit's `AddressPolicy`, and connects to exactly the address it checked.
///
/// Because the connection goes to the address that was checked, a name that answers differently the
/// second time (DNS rebinding) changes nothing: Chromium never resolves or connects on its own.
/// `CONNECT` carries https and WebSockets; plain http is forwarded one request per connection.
final class EgressProxy: Sendable {
    /// A request the proxy refused, and why (no URL path or query: only the authority).
    struct Refusal: Sendable, Hashable {
        var host: String
        var port: Int
        /// The name does not resolve (a `dns` failure), rather than resolving to a forbidden address.
        var unresolved: Bool
        var reason: String
    }

    struct Rules: Sendable {
        var policy: AddressPolicy
        /// Host names mapped to addresses (the configuration's `resolve`).
        var resolve: [String: String] = [:]
        /// Resolve nothing but `resolve`'s names.
        var resolveOnlyMapped = false
        var connectTimeout: Duration = .seconds(10)
        /// Bytes relayed in both directions over the whole visit before every tunnel is cut.
        var byteLimit = 64 * 1_048_576
        /// Connections opened for the visit before further ones are refused.
        var connectionLimit = 256
    }

    private struct State {
        var refusals: [Refusal] = []
        var sockets: Set<Int32> = []
        var connections = 0
        var bytes = 0
        var stopping = false
    }

    let port: Int
    private let rules: Rules
    private let listener: Int32
    private let state = Mutex(State())
    private let threads = DispatchGroup()

    init(rules: Rules) throws(BrowserError) {
        self.rules = rules
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .unavailable("cannot open the egress proxy's socket: \(Self.errorText())") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw .unavailable("cannot listen for the egress proxy on 127.0.0.1: \(Self.errorText())")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        threads.enter()
        Thread { [self] in
            acceptLoop()
            threads.leave()
        }.start()
    }

    /// What the proxy refused so far.
    var refusals: [Refusal] { state.withLock { $0.refusals } }

    /// Closes the listener and every connection, and waits for their threads.
    func stop() {
        // Under the lock: a socket leaves the set (untrack) before it is closed, so every descriptor
        // shut down here is still ours. Outside it, one could be closed and its number reused by another
        // visit's proxy in between, and that proxy would be cut (seen as ERR_PROXY_CONNECTION_FAILED).
        state.withLock { state in
            state.stopping = true
            for fd in state.sockets { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        shutdown(listener, Int32(SHUT_RDWR))
        threads.wait()
        close(listener)
    }

    // MARK: - Connections

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            guard track(client) else {
                close(client)
                return
            }
            threads.enter()
            Thread { [self] in
                serve(client)
                untrack(client)
                close(client)
                threads.leave()
            }.start()
        }
    }

    private func track(_ fd: Int32) -> Bool {
        state.withLock { state in
            guard !state.stopping else { return false }
            state.sockets.insert(fd)
            return true
        }
    }

    private func untrack(_ fd: Int32) { _ = state.withLock { $0.sockets.remove(fd) } }

    private func serve(_ client: Int32) {
        guard let (head, rest) = readHead(client), let request = ProxyRequest(head: head) else { return }
        let allowed = state.withLock { state -> Bool in
            state.connections += 1
            return state.connections <= rules.connectionLimit
        }
        guard allowed else {
            refuse(client, request, reason: "more than \(rules.connectionLimit) connections in one visit")
            return
        }
        let target: IPAddress
        switch EgressDecision.decide(host: request.host, rules: rules) {
        case .refuse(let reason, let unresolved):
            refuse(client, request, reason: reason, unresolved: unresolved)
            return
        case .connect(let address):
            target = address
        }
        let upstream = connect(to: target, port: request.port)
        guard upstream >= 0 else {
            respond(client, "502 Bad Gateway")
            return
        }
        guard track(upstream) else {
            close(upstream)
            return
        }
        defer {
            untrack(upstream)
            close(upstream)
        }
        if request.isConnect {
            respond(client, "200 Connection Established")
        } else {
            guard send(upstream, request.forwardedHead() + rest) else { return }
        }
        relay(client, upstream)
    }

    private func refuse(_ client: Int32, _ request: ProxyRequest, reason: String, unresolved: Bool = false) {
        state.withLock {
            $0.refusals.append(Refusal(host: request.host, port: request.port, unresolved: unresolved, reason: reason))
        }
        respond(client, "403 Forbidden")
    }

    private func respond(_ fd: Int32, _ status: String) {
        _ = send(fd, Array("HTTP/1.1 \(status)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
    }

    /// Reads up to the blank line that ends the request head (at most 64 KiB).
    private func readHead(_ fd: Int32) -> (head: [UInt8], rest: [UInt8])? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8_192)
        let end: [UInt8] = [13, 10, 13, 10]
        while buffer.count < 65_536 {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            if let range = buffer.firstRange(of: end) {
                return (Array(buffer[..<range.upperBound]), Array(buffer[range.upperBound...]))
            }
        }
        return nil
    }

    private func connect(to address: IPAddress, port: Int) -> Int32 {
        var storage = sockaddr_storage()
        let length: socklen_t
        if address.isIPv4 {
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = UInt16(port).bigEndian
            withUnsafeMutableBytes(of: &v4.sin_addr) { $0.copyBytes(from: address.bytes) }
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: v4) { raw.copyBytes(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else {
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = UInt16(port).bigEndian
            withUnsafeMutableBytes(of: &v6.sin6_addr) { $0.copyBytes(from: address.bytes) }
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: v6) { raw.copyBytes(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        let fd = socket(Int32(storage.ss_family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var timeout = timeval(
            tv_sec: Int(rules.connectTimeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        guard result == 0 else {
            close(fd)
            return -1
        }
        return fd
    }

    /// Copies bytes both ways until either side closes, the proxy stops, or the visit's byte limit.
    private func relay(_ a: Int32, _ b: Int32) {
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let ready = poll(&fds, 2, 1_000)
            if ready < 0 && errno == EINTR { continue }
            if state.withLock({ $0.stopping }) { return }
            guard ready > 0 else { continue }
            for (index, entry) in fds.enumerated() where entry.revents != 0 {
                let from = entry.fd
                let to = index == 0 ? b : a
                let count = chunk.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return }
                let over = state.withLock { state -> Bool in
                    state.bytes += count
                    return state.bytes > rules.byteLimit
                }
                guard !over, send(to, Array(chunk[0..<count])) else { return }
            }
        }
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(fd, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

/// What the proxy does with a host name: the address to connect to, or why not. Pure but for the
/// resolver call.
enum EgressDecision: Equatable {
    case connect(IPAddress)
    case refuse(String, unresolved: Bool)

    static func decide(host: String, rules: EgressProxy.Rules) -> EgressDecision {
        let name = host.lowercased()
        let candidates: [IPAddress]
        if let literal = IPAddress(name) {
            candidates = [literal]
        } else if let mapped = rules.resolve[name].flatMap(IPAddress.init) {
            candidates = [mapped]
        } else if rules.resolveOnlyMapped {
            return .refuse("\(name) does not resolve (only the configured names do)", unresolved: true)
        } else {
            candidates = resolve(name)
            if candidates.isEmpty { return .refuse("\(name) does not resolve", unresolved: true) }
        }
        // Every address must be allowed: a name that also answers a private address is refused whole,
        // as a rebinding attempt would be.
        if let forbidden = candidates.first(where: { !rules.policy.permits($0) }) {
            let what = IPAddress(name) == nil ? "\(name) resolves to \(forbidden), which" : "\(forbidden)"
            return .refuse("\(what) is in a restricted network and not in the allowed networks", unresolved: false)
        }
        return .connect(candidates[0])
    }

    private static func resolve(_ name: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var found: [IPAddress] = []
        var cursor = list
        while let entry = cursor {
            if let address = entry.pointee.ai_addr {
                if entry.pointee.ai_family == AF_INET {
                    let v4 = UnsafeRawPointer(address).assumingMemoryBound(to: sockaddr_in.self).pointee
                    found.append(IPAddress(unchecked: withUnsafeBytes(of: v4.sin_addr) { Array($0) }))
                } else if entry.pointee.ai_family == AF_INET6 {
                    let v6 = UnsafeRawPointer(address).assumingMemoryBound(to: sockaddr_in6.self).pointee
                    found.append(IPAddress(unchecked: withUnsafeBytes(of: v6.sin6_addr) { Array($0) }))
                }
            }
            cursor = entry.pointee.ai_next
        }
        return found
    }
}

/// The head of one request to the proxy: `CONNECT host:port` or an absolute-form `http://` request.
struct ProxyRequest {
    var isConnect: Bool
    var host: String
    var port: Int
    private var method = ""
    private var target = ""
    private var version = ""
    private var headerLines: [Substring] = []

    init?(head: [UInt8]) {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else { return nil }
        let parts = lines.removeFirst().split(separator: " ")
        guard parts.count == 3 else { return nil }
        method = String(parts[0])
        version = String(parts[2])
        headerLines = lines
        isConnect = method == "CONNECT"
        if isConnect {
            guard let (host, port) = Self.authority(String(parts[1]), defaultPort: 443) else { return nil }
            self.host = host
            self.port = port
            target = ""
        } else {
            // Only plain http comes as an absolute URI; anything else (ftp:, file:) is not forwarded.
            let uri = String(parts[1])
            guard uri.lowercased().hasPrefix("http://") else { return nil }
            let afterScheme = uri.dropFirst(7)
            let slash = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
            guard let (host, port) = Self.authority(String(afterScheme[..<slash]), defaultPort: 80) else { return nil }
            self.host = host
            self.port = port
            target = slash == afterScheme.endIndex ? "/" : String(afterScheme[slash...])
        }
    }

    /// The request as the origin server gets it: origin-form target, no proxy headers, one request.
    func forwardedHead() -> [UInt8] {
        var out = "\(method) \(target) \(version)\r\n"
        for line in headerLines {
            let name = line.prefix { $0 != ":" }.lowercased()
            if name.hasPrefix("proxy-") || name == "connection" || name == "keep-alive" { continue }
            out += line + "\r\n"
        }
        out += "Connection: close\r\n\r\n"
        return Array(out.utf8)
    }

    /// `host:port`, `[v6]:port` or a bare host; nil when it cannot be read.
    static func authority(_ text: String, defaultPort: Int) -> (String, Int)? {
        var host = Substring(text)
        var port = defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let rest = host[host.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let value = Int(rest.dropFirst()) else { return nil }
                port = value
            }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]) else { return nil }
            port = value
            host = host[..<colon]
        }
        guard !host.isEmpty, (1...65_535).contains(port) else { return nil }
        return (String(host), port)
    }
}
