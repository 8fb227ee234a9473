import CookieModel
import Foundation

/// A visit's hops as a value: `nextHop` says what to request, `record` takes its result, until the
/// final page, a failure or the redirect limit. The async `Visit.follow` and the driver thread's own
/// visits (`TransferDriver.drive`) both run it.
struct VisitRun {
    private var visit: Visit
    private let request: VisitRequest
    private var url: String
    /// The visit's time budget is spent by transfers only: a hop waiting for a free slot in the
    /// driver's queue is not on the clock, so a long scan queue cannot time out its own pages.
    private var budget: Duration
    /// The form goes with the first hop, and again only through 307 and 308 (RFC 9110 15.4).
    private var form: FormPost?
    /// The hop requested and not yet recorded.
    private var pending: (index: Int, cookieURL: CookieURL)?
    private var done = false

    init(_ request: VisitRequest, now: @escaping @Sendable () -> Date) {
        visit = Visit(request: request, now: now)
        self.request = request
        url = request.url
        budget = request.limits.visitTimeout
        form = request.form
        // Scalar by scalar: the Characters `isNewline` is true for (grapheme breaking on every header of
        // every visit was most of starting one).
        func breaksLine(_ text: String) -> Bool {
            text.unicodeScalars.contains {
                switch $0.value {
                case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
                default: false
                }
            }
        }
        func breaksLine(_ header: (name: String, value: String)) -> Bool {
            breaksLine(header.name) || breaksLine(header.value)
        }
        if let header = request.headers.first(where: breaksLine)
            ?? request.credentials?.headers.first(where: breaksLine)
        {
            visit.fail(.protocol, "the request header \"\(header.name)\" contains a line break", index: 0, url: url)
            done = true
        }
    }

    var exchange: Exchange { visit.exchange }

    /// The next hop's transfer, or nil when the visit is over.
    mutating func nextHop() -> Transfer.Spec? {
        guard !done, pending == nil else { return nil }
        let index = visit.exchange.hops.count
        guard let hopURL = visit.prepareHop(url: url, index: index) else { return finish() }
        guard budget > .zero else {
            visit.fail(
                .timeout,
                "the visit used up its total timeout of \(CurlFailure.seconds(request.limits.visitTimeout)) (limits.totalTimeout) before this hop",
                index: index,
                url: url)
            return finish()
        }
        var headers = visit.requestHeaders(for: hopURL)
        if let form { headers.append("Content-Type: \(form.contentType)") }
        pending = (index, hopURL)
        return Transfer.Spec(
            url: url, host: hopURL.host, headers: headers, timeoutMilliseconds: Transfer.milliseconds(budget),
            limits: request.limits, postBody: form?.body,
            resolve: Visit.resolveEntry(hopURL, request.limits.resolve), keepsBody: request.keepsBody)
    }

    /// Takes the result of the hop `nextHop` gave.
    mutating func record(_ result: TransferResult) {
        guard let (index, hopURL) = pending else { return }
        pending = nil
        visit.exchange.transferTime += result.timings.total
        budget -= max(result.timings.total, .milliseconds(1))
        guard let next = visit.record(result, index: index, url: url, cookieURL: hopURL) else {
            if request.keepsBody { visit.exchange.body = result.body ?? [] }
            done = true
            return
        }
        if ![307, 308].contains(result.status) {
            form = nil
        } else if form != nil, let target = try? CookieURL(parsing: next), target.origin != hopURL.origin {
            // A 307 or 308 would post the form (a password) again, to wherever it points.
            visit.fail(
                .protocol,
                "this \(result.status) redirect would post the form again to another origin (\(target.scheme)://\(target.host)); a form is posted only to its own origin",
                index: index, url: url)
            done = true
            return
        }
        url = next
    }

    private mutating func finish() -> Transfer.Spec? {
        done = true
        return nil
    }
}
