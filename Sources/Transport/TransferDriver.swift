internal import CCurl
import Foundation
import Synchronization

/// One thread driving one curl multi handle: transfers are queued from any task, admitted within the
/// concurrency caps, run by `curl_multi_perform`/`curl_multi_poll`, and handed back through continuations.
///
/// The multi handle keeps the connection and DNS caches, so consecutive transfers to a host reuse
/// connections. Only the driver thread touches the multi handle and the easy handles
/// (https://curl.se/libcurl/c/threadsafe.html: a handle must not be used from two threads at once);
/// other threads only append to the inbox under its lock, and call `curl_multi_wakeup` when the driver
/// sleeps in `curl_multi_poll` (always to cancel or stop).
final class TransferDriver: @unchecked Sendable {
    private struct Inbox {
        var submitted: [Transfer] = []
        var cancellationRequested = false
        var stopping = false
        /// False once the driver thread has cleaned up the multi handle: no wakeup may reach it then.
        var multiAlive = true
        /// True while the driver thread sleeps in (or is about to enter) `curl_multi_poll`: only then
        /// does a submission need `curl_multi_wakeup` (a write to curl's wakeup socket, and a read to
        /// drain it), which was two system calls for every transfer of a busy scan.
        var polling = false
    }

    private let multi: UnsafeMutableRawPointer
    private let limits: ConcurrencyLimits
    private let inbox = Mutex(Inbox())
    private let stopped = DispatchSemaphore(value: 0)

    // Driver-thread state.
    private var waiting: [Transfer] = []
    private let handles: EasyHandlePool
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    private var activePerHost: [String: Int] = [:]

    init(limits: ConcurrencyLimits) throws(FetcherSetupError) {
        try CurlGlobal.initialize()
        guard let multi = curl_multi_init() else { throw FetcherSetupError("curl_multi_init failed") }
        let options: [(CURLMoption, Int)] = [
            (CURLMOPT_MAXCONNECTS, limits.maxCachedConnections),
            // Our own queue admits at most maxTransfersPerHost transfers per host; the connection cap
            // makes sure HTTP/2 multiplexing or a stray retry cannot open more sockets than that.
            (CURLMOPT_MAX_HOST_CONNECTIONS, limits.maxTransfersPerHost),
            (CURLMOPT_MAX_TOTAL_CONNECTIONS, limits.maxTransfers),
        ]
        for (option, value) in options {
            let code = cw_multi_setopt_long(multi, option, value)
            guard code == CURLM_OK else {
                curl_multi_cleanup(multi)
                throw FetcherSetupError(
                    "curl_multi_setopt(\(option.rawValue)) failed: \(String(cString: curl_multi_strerror(code)))")
            }
        }
        self.multi = multi
        self.limits = limits
        handles = EasyHandlePool(capacity: min(limits.maxTransfers, 64))
        let thread = Thread { [self] in run() }
        thread.name = "cookiewatch.curl"
        thread.start()
    }

    /// Runs `transfer` to completion (or cancellation) and returns what it produced.
    func perform(_ transfer: Transfer) async -> TransferResult {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.continuation = continuation
                if !submit(transfer) {
                    var result = TransferResult()
                    result.wasCancelled = true
                    continuation.resume(returning: result)
                }
            }
        } onCancel: {
            transfer.cancel()
            inbox.withLock { inbox in
                inbox.cancellationRequested = true
                if inbox.multiAlive { curl_multi_wakeup(multi) }
            }
        }
    }

    /// Runs a visit on the driver thread itself: each hop's result is recorded and the next hop queued
    /// there, without a task resumed or a thread woken per hop (a scan of many pages spent a sixth of its
    /// CPU switching threads). `done` gets the exchange on the driver thread: it must only hand it on.
    /// `run` is moved in, not copied (a copy retained each of its request's strings and its jar).
    func drive(_ run: consuming VisitRun, done: @escaping @Sendable (Exchange) -> Void) {
        let visit = DrivenVisit(run, done: done)
        guard let spec = visit.run.nextHop() else { return visit.end() }
        let transfer = Transfer(spec: spec)
        transfer.driven = visit
        if !submit(transfer) {
            visit.run.record(cancelledResult(transfer))
            visit.end()
        }
    }

    /// Queues `transfer` for the driver thread, waking it if it sleeps; false once the driver is stopping.
    private func submit(_ transfer: Transfer) -> Bool {
        inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.submitted.append(transfer)
            if inbox.polling {
                inbox.polling = false
                curl_multi_wakeup(multi)
            }
            return true
        }
    }

    /// Stops the thread: unfinished transfers end as cancelled. Returns once the multi handle is gone.
    func shutdown() {
        let first = inbox.withLock { inbox in
            defer { inbox.stopping = true }
            guard !inbox.stopping else { return false }
            curl_multi_wakeup(multi)  // under the lock: the driver cannot have cleaned up yet
            return true
        }
        guard first else { return }
        stopped.wait()
    }

    // MARK: - The driver thread

    private func run() {
        while true {
            let (submitted, sweep, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.submitted.removeAll()
                    inbox.cancellationRequested = false
                }
                return (inbox.submitted, inbox.cancellationRequested, inbox.stopping)
            }
            waiting.append(contentsOf: submitted)
            if stopping { break }
            if sweep { sweepCancelled() }
            admit()
            var running: Int32 = 0
            let performed = curl_multi_perform(multi, &running)
            if performed != CURLM_OK {
                abandonAll(because: "curl_multi_perform: \(String(cString: curl_multi_strerror(performed)))")
            }
            collectFinished()
            admit()
            // Work submitted meanwhile is taken at once; otherwise submitters are told to wake us.
            let idle = inbox.withLock { inbox in
                inbox.polling = inbox.submitted.isEmpty && !inbox.cancellationRequested && !inbox.stopping
                return inbox.polling
            }
            guard idle else { continue }
            var ready: Int32 = 0
            // Sleeps until a socket is ready, curl's next timeout, or a wakeup from another thread (a
            // wakeup sent before the poll starts makes it return at once).
            let polled = curl_multi_poll(multi, nil, 0, 1000, &ready)
            inbox.withLock { $0.polling = false }
            if polled != CURLM_OK {
                abandonAll(because: "curl_multi_poll: \(String(cString: curl_multi_strerror(polled)))")
            }
        }
        for transfer in waiting { complete(transfer, with: cancelledResult(transfer)) }
        waiting.removeAll()
        for (easy, transfer) in active { end(easy, transfer) { cancelledResult(transfer) } }
        inbox.withLock { $0.multiAlive = false }
        handles.drain()
        curl_multi_cleanup(multi)
        stopped.signal()
    }

    /// Starts waiting transfers, oldest first, while the global and per-host caps allow.
    private func admit() {
        var index = 0
        while active.count < limits.maxTransfers, index < waiting.count {
            let transfer = waiting[index]
            guard activePerHost[transfer.spec.host, default: 0] < limits.maxTransfersPerHost else {
                index += 1
                continue
            }
            waiting.remove(at: index)
            guard !transfer.isCancelled else {
                complete(transfer, with: cancelledResult(transfer))
                continue
            }
            let context = Unmanaged.passRetained(transfer).toOpaque()  // released in `complete`
            guard transfer.start(context: context, handles: handles), let easy = transfer.easy else {
                complete(transfer, with: transfer.finish(code: CURLE_OK), retained: context)
                continue
            }
            let added = curl_multi_add_handle(multi, easy)
            guard added == CURLM_OK else {
                let result = transfer.abandon(
                    code: CURLE_FAILED_INIT,
                    because: "curl_multi_add_handle: \(String(cString: curl_multi_strerror(added)))")
                complete(transfer, with: result, retained: context)
                continue
            }
            active[easy] = transfer
            activePerHost[transfer.spec.host, default: 0] += 1
        }
    }

    private func collectFinished() {
        var easy: UnsafeMutableRawPointer?
        var code = CURLE_OK
        while cw_multi_next_done(multi, &easy, &code) == 1 {
            guard let easy, let transfer = active[easy] else { continue }
            end(easy, transfer) { transfer.finish(code: code) }
        }
    }

    private func sweepCancelled() {
        // Completed once out of the queue (completing a driven visit may queue its next hop); each flag
        // read once, as another thread may set it meanwhile.
        var cancelled: [Transfer] = []
        var kept: [Transfer] = []
        for transfer in waiting {
            if transfer.isCancelled { cancelled.append(transfer) } else { kept.append(transfer) }
        }
        waiting = kept
        for transfer in cancelled { complete(transfer, with: cancelledResult(transfer)) }
        for (easy, transfer) in active where transfer.isCancelled {
            end(easy, transfer) { cancelledResult(transfer) }
        }
    }

    private func abandonAll(because reason: String) {
        for (easy, transfer) in active {
            end(easy, transfer) { transfer.abandon(code: CURLE_FAILED_INIT, because: reason) }
        }
    }

    private func end(_ easy: UnsafeMutableRawPointer, _ transfer: Transfer, _ result: () -> TransferResult) {
        curl_multi_remove_handle(multi, easy)  // before cleanup, as curl_easy_cleanup requires
        active[easy] = nil
        activePerHost[transfer.spec.host, default: 1] -= 1
        if activePerHost[transfer.spec.host] == 0 { activePerHost[transfer.spec.host] = nil }
        complete(transfer, with: result(), retained: Unmanaged.passUnretained(transfer).toOpaque())
    }

    private func cancelledResult(_ transfer: Transfer) -> TransferResult {
        var result = transfer.abandon(code: CURLE_ABORTED_BY_CALLBACK, because: "the visit was cancelled")
        result.wasCancelled = true
        return result
    }

    /// Resumes the waiting task, or takes the driven visit to its next hop (queued, admitted by the
    /// loop) or its end; `retained` is the context pointer whose retain `admit` took.
    private func complete(_ transfer: Transfer, with result: TransferResult, retained: UnsafeMutableRawPointer? = nil) {
        let continuation = transfer.continuation
        let driven = transfer.driven
        transfer.continuation = nil
        transfer.driven = nil
        if let retained { Unmanaged<Transfer>.fromOpaque(retained).release() }
        continuation?.resume(returning: result)
        guard let driven else { return }
        driven.run.record(result)
        guard !result.wasCancelled, let spec = driven.run.nextHop() else { return driven.end() }
        let next = Transfer(spec: spec)
        next.driven = driven
        waiting.append(next)
    }
}

/// A visit the driver thread runs hop after hop (`TransferDriver.drive`); touched only there once submitted.
final class DrivenVisit: @unchecked Sendable {
    var run: VisitRun
    private let done: @Sendable (Exchange) -> Void
    private let started = ContinuousClock.now

    init(_ run: consuming VisitRun, done: @escaping @Sendable (Exchange) -> Void) {
        self.run = run
        self.done = done
    }

    func end() {
        var exchange = run.exchange
        exchange.elapsed = ContinuousClock.now - started
        done(exchange)
    }
}
