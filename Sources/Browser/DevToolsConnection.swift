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
    /// Where the answer to one command stands.
    private enum Slot {
        /// Sent; nobody waits yet.
        case sent
        /// A caller waits for it.
        case waiting(CheckedContinuation<JSONValue, any Error>)
        /// Answered before anybody waited.
        case answered(Result<JSONValue, any Error>)
    }

    private struct State {
        var nextId = 1
        var pending: [Int: Slot] = [:]
        var pendingMethods: [Int: String] = [:]
        /// Event streams by session id; a child session (an iframe, a worker) joins its parent's stream.
        var routes: [String: AsyncStream<DevToolsEvent>.Continuation] = [:]
        var closed: String?
    }

    private let process: ChromiumProcess
    private let state = Mutex(State())

    init(process: ChromiumProcess) {
        self.process = process
        // A write to the pipe of a browser that just died must fail with EPIPE, not kill cookiewatch.
        signal(SIGPIPE, SIG_IGN)
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
        try await wait(submit(method, params, session: session), method: method, timeout: timeout)
    }

    /// Sends every command at once, in order (Chromium runs a session's commands in order), then waits
    /// for every answer: one round trip instead of one per command.
    func callInOrder(_ commands: [(String, [(String, JSONValue)])], session: String?, timeout: Duration)
        async throws -> [JSONValue]
    {
        let ids = commands.map { submit($0.0, $0.1, session: session) }
        var answers: [JSONValue] = []
        for (id, command) in zip(ids, commands) {
            answers.append(try await wait(id, method: command.0, timeout: timeout))
        }
        return answers
    }

    /// Writes one command; its answer is kept until `wait` asks for it.
    private func submit(_ method: String, _ params: [(String, JSONValue)], session: String?) -> Int {
        let id = state.withLock { state -> Int in
            defer { state.nextId += 1 }
            state.pending[state.nextId] = .sent
            state.pendingMethods[state.nextId] = method
            return state.nextId
        }
        var message: [(String, JSONValue)] = [("id", .integer(id)), ("method", .string(method))]
        message.append(("params", .object(params)))
        if let session { message.append(("sessionId", .string(session))) }
        var bytes = JSONWriter.canonical(.object(message))
        bytes.append(0)
        if !writeAll(bytes) { settle(id, .failure(BrowserError.crashed("the browser's command pipe is closed"))) }
        return id
    }

    private func wait(_ id: Int, method: String, timeout: Duration) async throws -> JSONValue {
        let expiry = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.settle(
                id, .failure(BrowserError.timeout("\(method) had no answer within \(timeout) (the browser hangs)")))
        }
        defer { expiry.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<JSONValue, any Error>? in
                switch state.pending[id] {
                case .answered(let result):
                    state.pending[id] = nil
                    return result
                case .sent:
                    state.pending[id] = .waiting(continuation)
                    return nil
                case .waiting, nil:
                    return .failure(BrowserError.crashed(state.closed ?? "the command was lost"))
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Delivers the answer (or failure) of `id` to its waiter, or keeps it for one.
    private func settle(_ id: Int, _ result: Result<JSONValue, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<JSONValue, any Error>? in
            state.pendingMethods[id] = nil
            switch state.pending[id] {
            case .waiting(let continuation):
                state.pending[id] = nil
                return continuation
            case .sent:
                state.pending[id] = .answered(result)
                return nil
            case .answered, nil:
                return nil
            }
        }
        waiter?.resume(with: result)
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
        let id = submit(method, params, session: nil)
        state.withLock {
            $0.pending[id] = nil
            $0.pendingMethods[id] = nil
        }
    }

    deinit { close(process.commandFD) }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        guard closedReason == nil else { return false }
        return bytes.withUnsafeBytes { buffer in
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
        // The command descriptor stays open until this connection goes (deinit): closed here, its number
        // could be reused by another socket while a caller still writes to it.
        close(process.eventFD)
        let reason = "the browser exited (pid \(process.pid))" + tail()
        let (waiting, streams) = state.withLock { state in
            state.closed = reason
            var waiting: [CheckedContinuation<JSONValue, any Error>] = []
            for (id, slot) in state.pending {
                switch slot {
                case .waiting(let continuation): waiting.append(continuation)
                case .sent: state.pending[id] = .answered(.failure(BrowserError.crashed(reason)))
                case .answered: continue
                }
            }
            state.pending = state.pending.filter { if case .waiting = $0.value { false } else { true } }
            defer { state.routes = [:] }
            return (waiting, Array(state.routes.values))
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
            if let error = message["error"] {
                let method = state.withLock { $0.pendingMethods[id] } ?? "?"
                let text = error["message"]?.string ?? "unknown error"
                settle(id, .failure(BrowserError.protocolError(method: method, message: text)))
            } else {
                settle(id, .success(message["result"] ?? .object([])))
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
