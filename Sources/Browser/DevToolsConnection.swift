import Foundation
import StrictJSON
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One DevTools protocol event, as the browser sent it.
struct DevToolsEvent: Sendable {
    var method: String
    var params: JSONValue
    /// The flattened session the event belongs to; nil for browser-level events.
    var sessionId: String?
}

/// The DevTools protocol over Chromium's pipe: NUL-terminated JSON messages, commands matched to
/// their answers by id, events routed to the visit that owns their session.
///
/// A reader thread owns the event descriptor. When the pipe closes (the browser died), every waiting
/// command fails with `.crashed` and every event stream ends.
final class DevToolsConnection: Sendable {
    private struct State {
        var nextId = 1
        var pending: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
        var pendingMethods: [Int: String] = [:]
        /// Event streams by session id; a child session (an iframe, a worker) joins its parent's stream.
        var routes: [String: AsyncStream<DevToolsEvent>.Continuation] = [:]
        var closed: String?
    }

    private let process: ChromiumProcess
    private let state = Mutex(State())

    init(process: ChromiumProcess) {
        self.process = process
        let reader = Thread { [self] in readLoop() }
        reader.name = "devtools-reader"
        reader.start()
    }

    /// Why the connection is closed, nil while it is open.
    var closedReason: String? { state.withLock { $0.closed } }

    /// Sends `method` and waits for its answer at most `timeout`.
    func call(
        _ method: String, _ params: [(String, JSONValue)] = [], session: String? = nil, timeout: Duration
    ) async throws -> JSONValue {
        let id = state.withLock { state -> Int in
            defer { state.nextId += 1 }
            return state.nextId
        }
        var message: [(String, JSONValue)] = [("id", .integer(id)), ("method", .string(method))]
        message.append(("params", .object(params)))
        if let session { message.append(("sessionId", .string(session))) }
        var bytes = JSONWriter.canonical(.object(message))
        bytes.append(0)

        let expiry = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.fail(id, BrowserError.timeout("\(method) had no answer within \(timeout) (the browser hangs)"))
        }
        defer { expiry.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let refused = state.withLock { state -> String? in
                if let closed = state.closed { return closed }
                state.pending[id] = continuation
                state.pendingMethods[id] = method
                return nil
            }
            if let refused {
                continuation.resume(throwing: BrowserError.crashed(refused))
                return
            }
            if !writeAll(bytes) { fail(id, BrowserError.crashed("the browser's command pipe is closed")) }
        }
    }

    /// A stream of the events of `session` and of every session attached under it, until `release`.
    func events(of session: String) -> AsyncStream<DevToolsEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: DevToolsEvent.self)
        let closed = state.withLock { state -> Bool in
            guard state.closed == nil else { return true }
            state.routes[session] = continuation
            return false
        }
        if closed { continuation.finish() }
        return stream
    }

    /// Stops routing `sessions`' events and ends their stream.
    func release(_ sessions: some Sequence<String>) {
        let ended = state.withLock { state in sessions.compactMap { state.routes.removeValue(forKey: $0) } }
        ended.forEach { $0.finish() }
    }

    /// Fire and forget: a command whose answer nobody waits for (disposal on the way out).
    func send(_ method: String, _ params: [(String, JSONValue)] = []) {
        let id = state.withLock { state -> Int in
            defer { state.nextId += 1 }
            return state.nextId
        }
        var bytes = JSONWriter.canonical(
            .object([("id", .integer(id)), ("method", .string(method)), ("params", .object(params))]))
        bytes.append(0)
        _ = writeAll(bytes)
    }

    private func fail(_ id: Int, _ error: BrowserError) {
        let continuation = state.withLock { state -> CheckedContinuation<JSONValue, any Error>? in
            state.pendingMethods[id] = nil
            return state.pending.removeValue(forKey: id)
        }
        continuation?.resume(throwing: error)
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let written = write(process.commandFD, base + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }

    // MARK: - Reading

    private func readLoop() {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(process.eventFD, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            buffer.append(contentsOf: chunk[0..<count])
            var start = 0
            while let end = buffer[start...].firstIndex(of: 0) {
                dispatch(Array(buffer[start..<end]))
                start = end + 1
            }
            buffer.removeFirst(start)
        }
        close(process.eventFD)
        close(process.commandFD)
        let reason = "the browser exited (pid \(process.pid))" + tail()
        let (waiting, streams) = state.withLock { state in
            state.closed = reason
            defer {
                state.pending = [:]
                state.routes = [:]
            }
            return (Array(state.pending.values), Array(state.routes.values))
        }
        waiting.forEach { $0.resume(throwing: BrowserError.crashed(reason)) }
        streams.forEach { $0.finish() }
    }

    private func tail() -> String {
        let text = process.stderrTail()
        return text.isEmpty ? "" : ": \(text)"
    }

    private func dispatch(_ bytes: [UInt8]) {
        guard let message = try? JSONReader.parse(bytes) else { return }
        if let id = message["id"]?.int {
            let (continuation, method) = state.withLock { state in
                (state.pending.removeValue(forKey: id), state.pendingMethods.removeValue(forKey: id))
            }
            if let error = message["error"] {
                let text = error["message"]?.string ?? "unknown error"
                continuation?.resume(throwing: BrowserError.protocolError(method: method ?? "?", message: text))
            } else {
                continuation?.resume(returning: message["result"] ?? .object([]))
            }
            return
        }
        guard let method = message["method"]?.string else { return }
        let event = DevToolsEvent(
            method: method, params: message["params"] ?? .object([]), sessionId: message["sessionId"]?.string)
        guard let session = event.sessionId else { return }
        let route = state.withLock { state -> AsyncStream<DevToolsEvent>.Continuation? in
            let route = state.routes[session]
            // A target attached under a routed session (an iframe, a worker) joins the same stream,
            // before any of its own events can arrive.
            if method == "Target.attachedToTarget", let child = event.params["sessionId"]?.string, let route {
                state.routes[child] = route
            }
            return route
        }
        route?.yield(event)
    }
}
