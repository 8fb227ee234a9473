internal import CCurl

/// Easy handles kept for the next transfers, reset, instead of one created and freed per transfer.
///
/// A new handle allocates libcurl's per-transfer state and buffers (tens of KiB): glibc served each
/// through its slow path and consolidated its free lists first, a sixth of the driver thread in a busy
/// round. `curl_easy_reset` restores every option to its default and keeps those buffers; connections
/// live in the multi handle either way. Touched only on the driver thread.
final class EasyHandlePool {
    private var idle: [UnsafeMutableRawPointer] = []
    private let capacity: Int

    /// Keeps at most `capacity` idle handles (the driver's transfer cap is enough: each transfer holds one).
    init(capacity: Int) {
        self.capacity = capacity
        idle.reserveCapacity(capacity)
    }

    deinit { drain() }

    /// A handle with every option at its default; nil when libcurl cannot make one.
    func take() -> UnsafeMutableRawPointer? { idle.popLast() ?? curl_easy_init() }

    /// Takes back a handle no multi handle holds any more.
    func give(_ easy: UnsafeMutableRawPointer) {
        guard idle.count < capacity else {
            curl_easy_cleanup(easy)
            return
        }
        curl_easy_reset(easy)
        idle.append(easy)
    }

    /// Frees the idle handles.
    func drain() {
        for easy in idle { curl_easy_cleanup(easy) }
        idle.removeAll()
    }
}
