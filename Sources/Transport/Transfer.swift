internal import CCurl
import Synchronization
import NetworkAddress

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP request/response on a curl easy handle: its options, what the callbacks collect, and the
/// continuation waiting for it.
///
/// Ownership: the `TransferDriver` holds an `Unmanaged` retain from `start` until `finish`, so the
/// pointer curl hands back to the callbacks is valid for the whole life of the easy handle. After
/// `submit`, every stored property below is touched only on the driver thread (callbacks run inside
/// `curl_multi_perform` there), except `isCancelled`, which has its own lock.
final class Transfer: @unchecked Sendable {
    struct Spec: Sendable {
        var url: String
        /// Lowercased host, for the per-host cap.
        var host: String
        var headers: [String]
        var timeoutMilliseconds: Int
        var limits: FetchLimits
        /// A body to POST (alert deliveries); nil for the GET of a page visit.
        var postBody: [UInt8]? = nil
        /// A CURLOPT_RESOLVE entry, `host:port:address`, when the configuration maps the host.
        var resolve: String? = nil
        /// Keep the body's bytes (up to the cap) in the result: a login form is read from it.
        var keepsBody = false
    }

    let spec: Spec
    /// Who gets the result: the task waiting for it, or the visit the driver thread runs itself.
    var continuation: CheckedContinuation<TransferResult, Never>?
    var driven: DrivenVisit?
    private let cancelled = Atomic<Bool>(false)

    private(set) var easy: UnsafeMutableRawPointer?
    /// Where the easy handle came from and goes back to.
    private var handles: EasyHandlePool?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private(set) var result = TransferResult()
    private var headerBytes = 0

    init(spec: Spec) {
        self.spec = spec
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        errorBuffer.deallocate()
    }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func cancel() { cancelled.store(true, ordering: .releasing) }

    // MARK: - Driver-thread life cycle

    /// Takes an easy handle from `handles` and configures it; on failure the result already says why.
    func start(context: UnsafeMutableRawPointer, handles: EasyHandlePool) -> Bool {
        self.handles = handles
        guard let easy = handles.take() else {
            result.curlCode = Int(CURLE_FAILED_INIT.rawValue)
            result.curlText = "curl_easy_init failed"
            return false
        }
        self.easy = easy
        for header in spec.headers {
            guard let list = curl_slist_append(headerList, header) else {
                result.curlCode = Int(CURLE_OUT_OF_MEMORY.rawValue)
                result.curlText = "curl_slist_append failed"
                return false
            }
            headerList = list
        }
        if let entry = spec.resolve {
            resolveList = curl_slist_append(nil, entry)
            guard resolveList != nil else {
                result.curlCode = Int(CURLE_OUT_OF_MEMORY.rawValue)
                result.curlText = "curl_slist_append failed"
                return false
            }
        }
        let code = configure(easy, context: context)
        guard code == CURLE_OK else {
            result.curlCode = Int(code.rawValue)
            result.curlText = String(cString: curl_easy_strerror(code))
            return false
        }
        return true
    }

    private func configure(_ easy: UnsafeMutableRawPointer, context: UnsafeMutableRawPointer) -> CURLcode {
        let limits = spec.limits
        let longs: [(CURLoption, Int)] = [
            (CURLOPT_NOSIGNAL, 1),  // no SIGALRM for DNS timeouts: we run many transfers on one thread
            (CURLOPT_FOLLOWLOCATION, 0),  // redirects are followed by CurlFetcher, one hop at a time
            // No TLS session resumed from an earlier transfer on this (pooled, reset) easy handle: a
            // session ticket would let a server link visits of other variants, as before the pool.
            (CURLOPT_SSL_SESSIONID_CACHE, 0),
            spec.postBody == nil ? (CURLOPT_HTTPGET, 1) : (CURLOPT_POST, 1),
            (CURLOPT_SSL_VERIFYPEER, 1), (CURLOPT_SSL_VERIFYHOST, 2),
            (CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(limits.connectTimeout)),
            (CURLOPT_TIMEOUT_MS, max(1, spec.timeoutMilliseconds)),
            (CURLOPT_LOW_SPEED_LIMIT, max(1, limits.lowSpeedBytesPerSecond)),
            (CURLOPT_LOW_SPEED_TIME, max(1, Self.milliseconds(limits.lowSpeedTime) / 1000)),
        ]
        for (option, value) in longs {
            let code = cw_easy_setopt_long(easy, option, value)
            guard code == CURLE_OK else { return code }
        }
        var strings: [(CURLoption, String)] = [
            (CURLOPT_URL, spec.url),
            // https://curl.se/libcurl/c/CURLOPT_PROTOCOLS_STR.html: nothing but http(s), for redirects too.
            (CURLOPT_PROTOCOLS_STR, "http,https"), (CURLOPT_REDIR_PROTOCOLS_STR, "http,https"),
            // An empty proxy disables *_proxy environment variables: through a proxy the address
            // check would see the proxy, not the site.
            (CURLOPT_PROXY, ""),
        ]
        if let caFile = limits.extraCAFile { strings.append((CURLOPT_CAINFO, caFile)) }
        if !spec.headers.contains(where: { $0.lowercased().hasPrefix("user-agent:") }) {
            strings.append((CURLOPT_USERAGENT, "cookiewatch/0.1 libcurl"))
        }
        for (option, value) in strings {
            let code = cw_easy_setopt_str(easy, option, value)  // libcurl copies strings (7.17.0+)
            guard code == CURLE_OK else { return code }
        }
        // A Content-Length beyond the cap fails before any body byte is read.
        var code = cw_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limits.bodyCap))
        if code == CURLE_OK, let body = spec.postBody {
            // POSTFIELDSIZE first: COPYPOSTFIELDS copies exactly that many bytes (NUL bytes allowed).
            code = cw_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if code == CURLE_OK {
                code =
                    body.isEmpty
                    ? cw_easy_setopt_str(easy, CURLOPT_COPYPOSTFIELDS, "")
                    : body.withUnsafeBytes { raw in
                        raw.baseAddress.map {
                            cw_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0))
                        }
                            ?? CURLE_BAD_FUNCTION_ARGUMENT
                    }
            }
        }
        if code == CURLE_OK { code = cw_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList) }
        if code == CURLE_OK, let resolveList { code = cw_easy_setopt_slist(easy, CURLOPT_RESOLVE, resolveList) }
        if code == CURLE_OK { code = cw_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer) }
        if code == CURLE_OK { code = cw_easy_setopt_write_callback(easy, transferWriteCallback) }
        if code == CURLE_OK { code = cw_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, context) }
        if code == CURLE_OK { code = cw_easy_setopt_header_callback(easy, transferHeaderCallback) }
        if code == CURLE_OK { code = cw_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, context) }
        if code == CURLE_OK { code = cw_easy_check_addresses(easy, context) }
        return code
    }

    /// Reads what curl knows about the finished transfer and gives the easy handle back (no multi
    /// handle may hold it any more).
    func finish(code: CURLcode) -> TransferResult {
        if let easy {
            collectInfo(easy)
            if let handles { handles.give(easy) } else { curl_easy_cleanup(easy) }
            self.easy = nil
        }
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        if let resolveList { curl_slist_free_all(resolveList) }
        resolveList = nil
        if code != CURLE_OK, result.curlCode == nil {
            result.curlCode = Int(code.rawValue)
            let detail = String(cString: errorBuffer)
            result.curlText = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        }
        return result
    }

    /// Ends the transfer without curl having finished it.
    func abandon(code: CURLcode, because reason: String) -> TransferResult {
        _ = finish(code: CURLE_OK)
        result.curlCode = Int(code.rawValue)
        result.curlText = reason
        return result
    }

    private func collectInfo(_ easy: UnsafeMutableRawPointer) {
        var status = 0
        if cw_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK, status > 0 {
            result.status = status
        }
        result.redirectURL = Self.string(easy, CURLINFO_REDIRECT_URL)
        result.primaryIP = Self.string(easy, CURLINFO_PRIMARY_IP).flatMap { $0.isEmpty ? nil : $0 }
        var port = 0
        if cw_easy_getinfo_long(easy, CURLINFO_PRIMARY_PORT, &port) == CURLE_OK, port > 0 { result.primaryPort = port }
        result.timings.nameLookup = Self.duration(easy, CURLINFO_NAMELOOKUP_TIME_T)
        result.timings.connect = Self.duration(easy, CURLINFO_CONNECT_TIME_T)
        result.timings.tlsHandshake = Self.duration(easy, CURLINFO_APPCONNECT_TIME_T)
        result.timings.firstByte = Self.duration(easy, CURLINFO_STARTTRANSFER_TIME_T)
        result.timings.total = Self.duration(easy, CURLINFO_TOTAL_TIME_T)
    }

    // MARK: - Callbacks (driver thread)

    fileprivate func receiveBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        result.bodyBytes += bytes.count
        guard result.bodyBytes <= spec.limits.bodyCap else {
            result.exceeded = .body
            return 0  // anything but `count` makes curl stop with CURLE_WRITE_ERROR
        }
        if spec.keepsBody {
            if result.body == nil { result.body = [] }
            result.body?.append(contentsOf: bytes)
        }
        return bytes.count
    }

    fileprivate func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        headerBytes += line.count
        guard headerBytes <= spec.limits.headerCap else {
            result.exceeded = .headers
            return 0
        }
        var end = line.count
        while end > 0, line[end - 1] == 0x0A || line[end - 1] == 0x0D { end -= 1 }
        let content = line[0..<end]
        if content.isEmpty {
            result.headersComplete = true
        } else if content.starts(with: Self.statusLinePrefix) {
            // A new status line: an interim 1xx response (or a proxy's) ends and the real one starts.
            result.headers.removeAll()
            result.headersComplete = false
            result.httpVersion = content.firstIndex(of: 0x20).map { String(decoding: content[..<$0], as: UTF8.self) }
            if result.tlsVersion == nil, let easy, let version = cw_easy_tls_version(easy) {
                result.tlsVersion = String(cString: version)
            }
        } else if result.headersComplete {
            // A line after the header block is a chunked trailer: browsers ignore those (no cookies there).
        } else if let first = content.first, first == 0x20 || first == 0x09, let last = result.headers.last {
            // obs-fold (RFC 9112 5.2): a continuation line belongs to the previous header's value.
            result.headers[result.headers.count - 1] = HeaderField(
                name: last.name, value: last.value + [0x20] + content.drop { $0 == 0x20 || $0 == 0x09 })
        } else if let colon = content.firstIndex(of: 0x3A) {
            // Trimmed as bytes, then decoded once (a name is short: no allocation).
            var nameStart = content.startIndex
            var nameEnd = colon
            while nameStart < nameEnd, content[nameStart] == 0x20 || content[nameStart] == 0x09 { nameStart += 1 }
            while nameEnd > nameStart, content[nameEnd - 1] == 0x20 || content[nameEnd - 1] == 0x09 { nameEnd -= 1 }
            let name = String(decoding: content[nameStart..<nameEnd], as: UTF8.self)
            var valueStart = colon + 1
            while valueStart < content.endIndex, content[valueStart] == 0x20 || content[valueStart] == 0x09 {
                valueStart += 1
            }
            var valueEnd = content.endIndex
            while valueEnd > valueStart, content[valueEnd - 1] == 0x20 || content[valueEnd - 1] == 0x09 {
                valueEnd -= 1
            }
            result.headers.append(HeaderField(name: name, value: Array(content[valueStart..<valueEnd])))
        }
        return line.count
    }

    fileprivate func admits(_ address: IPAddress) -> Bool {
        guard spec.limits.addressPolicy.permits(address) else {
            result.blockedAddress = address.description
            return false
        }
        return true
    }

    // MARK: - Helpers

    private static let statusLinePrefix = Array("HTTP/".utf8)

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    private static func string(_ easy: UnsafeMutableRawPointer, _ info: CURLINFO) -> String? {
        var text: UnsafePointer<CChar>?
        guard cw_easy_getinfo_str(easy, info, &text) == CURLE_OK, let text else { return nil }
        return String(cString: text)
    }

    private static func duration(_ easy: UnsafeMutableRawPointer, _ info: CURLINFO) -> Duration {
        var microseconds: curl_off_t = 0
        guard cw_easy_getinfo_off_t(easy, info, &microseconds) == CURLE_OK else { return .zero }
        return .microseconds(microseconds)
    }
}

// The C callbacks: `context` is the Transfer's retained Unmanaged pointer (see the type's comment).

private let transferWriteCallback: cw_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let bytes = UnsafeBufferPointer(
        start: data.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) },
        count: data == nil ? 0 : size * count)
    return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().receiveBody(bytes)
}

private let transferHeaderCallback: cw_data_callback = { data, size, count, context in
    guard let context, let data else { return 0 }
    let line = UnsafeBufferPointer(
        start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
    return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().receiveHeaderLine(line)
}

/// Installed once with `cw_set_address_check`: the resolved address of every socket curl opens.
let transferAddressCheck: cw_address_check = { context, family, address, length in
    guard let context, let address else { return 0 }
    let bytes: [UInt8]
    switch family {
    case AF_INET where length >= UInt32(MemoryLayout<sockaddr_in>.size):
        bytes = UnsafeRawPointer(address).withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
            withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
        }
    case AF_INET6 where length >= UInt32(MemoryLayout<sockaddr_in6>.size):
        bytes = UnsafeRawPointer(address).withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
            withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
        }
    default:
        return 0  // not an IP socket: nothing a web page should make us open
    }
    guard let ip = IPAddress(bytes: bytes) else { return 0 }
    return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().admits(ip) ? 1 : 0
}
