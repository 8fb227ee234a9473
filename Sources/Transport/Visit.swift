internal import CCurl
import CookieModel
import Foundation
import NetworkAddress

/// The state of one visit between hops: the jar, the hops so far, and the rules that decide what
/// comes next. Plain value logic; `CurlFetcher` does the I/O.
struct Visit {
    var exchange: Exchange
    private let now: @Sendable () -> Date

    init(request: VisitRequest, now: @escaping @Sendable () -> Date) {
        exchange = Exchange(request: request, jar: request.startingJar(at: now()))
        self.now = now
    }

    private var limits: FetchLimits { exchange.request.limits }

    /// Requests hop after hop through `perform` until a final page, a failure, or the redirect limit.
    static func follow(
        _ request: VisitRequest, now: @escaping @Sendable () -> Date,
        perform: (Transfer.Spec) async -> TransferResult
    ) async -> Exchange {
        var run = VisitRun(request, now: now)
        while let spec = run.nextHop() { run.record(await perform(spec)) }
        return run.exchange
    }

    /// The CURLOPT_RESOLVE entry for `url`'s host and port, when the configuration maps the host.
    static func resolveEntry(_ url: CookieURL, _ mapping: [String: String]) -> String? {
        guard let address = mapping[url.host] else { return nil }
        return "\(url.host):\(url.origin.port):\(address.contains(":") ? "[\(address)]" : address)"
    }

    /// The hop's URL as the cookie rules read it, or nil (and a `protocol` failure) when it is not usable.
    mutating func prepareHop(url: String, index: Int) -> CookieURL? {
        do throws(CookieURLError) {
            return try CookieURL(parsing: url)
        } catch {
            let what = index == 0 ? "the page URL" : "the redirect target"
            fail(.protocol, "\(what) is refused: \(error.reason)", index: index, url: url)
            return nil
        }
    }

    /// The request headers for a hop: the variant's own (minus any `Cookie`), its credentials if the hop
    /// goes to their origin, then the jar's `Cookie`.
    func requestHeaders(for url: CookieURL) -> [String] {
        var headers = exchange.request.headers.filter { $0.name.lowercased() != "cookie" }.map {
            "\($0.name): \($0.value)"
        }
        if let credentials = exchange.request.credentials, credentials.origin == url.origin {
            headers += credentials.headers.map { "\($0.name): \($0.value)" }
        }
        if let cookie = exchange.jar.cookieHeader(for: url, at: now()) { headers.append("Cookie: \(cookie)") }
        return headers
    }

    /// Records a finished transfer as a hop; returns the next URL, or nil when the visit is over.
    mutating func record(_ result: TransferResult, index: Int, url: String, cookieURL: CookieURL) -> String? {
        // A reused connection skips CURLOPT_OPENSOCKETFUNCTION, and it may have been opened for a
        // visit whose policy allowed more: judge the address actually used, every time.
        if let used = result.primaryIP.flatMap(IPAddress.init), !limits.addressPolicy.permits(used) {
            return fail(
                .blockedAddress, "\(used) is in a restricted network and not in the allowed networks",
                index: index, url: url)
        }
        if result.status > 0 { exchange.hops.append(hop(from: result, index: index, url: url, cookieURL: cookieURL)) }
        if let failure = Self.failure(of: result, limits: limits, index: index, url: url) {
            exchange.failure = failure
            return nil
        }
        if [301, 302, 303, 307, 308].contains(result.status),
            exchange.hops.last.map({ !$0.values(of: "location").isEmpty }) ?? false
        {
            guard let next = result.redirectURL, !next.isEmpty else {
                return fail(
                    .protocol, "the Location header of this \(result.status) response is not a usable URL",
                    index: index, url: url)
            }
            guard index < limits.maxRedirects else {
                return fail(
                    .tooManyRedirects, "more than \(limits.maxRedirects) redirects (next: \(next))", index: index,
                    url: url)
            }
            return next
        }
        if limits.failOnHTTPError, result.status >= 400 {
            return fail(.httpStatus, "the page answered \(result.status)", index: index, url: url)
        }
        return nil
    }

    /// Ends the visit with a failure of our own making (not reported by libcurl); returns nil to say "no next hop".
    @discardableResult
    mutating func fail(_ code: FetchFailure.Code, _ message: String, index: Int, url: String) -> String? {
        exchange.failure = FetchFailure(code: code, message: message, hopIndex: index, url: url)
        return nil
    }

    private mutating func hop(from result: TransferResult, index: Int, url: String, cookieURL: CookieURL) -> Hop {
        let received = now()
        let sent = exchange.jar.cookies(for: cookieURL, at: received).map(\.name)
        var outcomes: [StorageOutcome] = []
        for field in result.headers where field.isNamed("set-cookie") {
            outcomes.append(exchange.jar.receive(setCookieBytes: field.value, from: cookieURL, at: received))
        }
        let date = result.headers.first { $0.isNamed("date") }.flatMap { CookieDate.parse($0.value) }
        return Hop(
            index: index, url: url, cookieURL: cookieURL, status: result.status, headers: result.headers,
            date: date.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            remoteAddress: result.primaryIP, remotePort: result.primaryPort, tlsVersion: result.tlsVersion,
            httpVersion: result.httpVersion, timings: result.timings, bodyBytes: result.bodyBytes,
            sentCookieNames: sent, cookieOutcomes: outcomes,
            redirectURL: result.redirectURL)
    }

    /// Maps how the transfer ended to a failure, or nil when it ended well.
    static func failure(of result: TransferResult, limits: FetchLimits, index: Int, url: String) -> FetchFailure? {
        func failure(_ code: FetchFailure.Code, _ message: String) -> FetchFailure {
            FetchFailure(
                code: code, message: message, curlCode: result.curlCode, curlText: result.curlText, hopIndex: index,
                url: url)
        }
        if result.wasCancelled { return failure(.cancelled, "the visit was cancelled") }
        if let scripted = result.scriptedFailure { return failure(scripted, "scripted \(scripted.rawValue) failure") }
        if let address = result.blockedAddress {
            return failure(.blockedAddress, "\(address) is in a restricted network and not in the allowed networks")
        }
        switch result.exceeded {
        case .body: return failure(.bodyTooLarge, "the body is larger than the cap of \(limits.bodyCap) bytes")
        case .headers:
            return failure(
                .headersTooLarge, "the response headers are larger than the cap of \(limits.headerCap) bytes")
        case nil: break
        }
        guard let raw = result.curlCode else { return nil }
        let curlCode = CURLcode(UInt32(raw))
        if CurlFailure.isHeaderLimit(curlCode, text: result.curlText, headersComplete: result.headersComplete) {
            return failure(.headersTooLarge, "the response headers are larger than libcurl accepts")
        }
        if curlCode == CURLE_OPERATION_TIMEDOUT {
            return failure(
                .timeout, CurlFailure.timeoutMessage(result.curlText, timings: result.timings, limits: limits))
        }
        let (code, message) = CurlFailure.classify(curlCode)
        return failure(code, message)
    }
}
