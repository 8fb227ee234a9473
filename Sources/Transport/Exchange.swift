import CookieModel

/// Everything one visit saw: each hop in order, and whether it reached a final page.
public struct Exchange: Sendable {
    public var request: VisitRequest
    public var hops: [Hop]
    /// nil when the visit reached its final page.
    public var failure: FetchFailure?
    /// The browser jar after the last hop: what the site left stored.
    public var jar: CookieJar
    /// Wall time from the start of the first hop to the end of the last, queueing included.
    public var elapsed: Duration = .zero
    /// Time libcurl spent on the hops' transfers: what the visit timeout limits.
    public var transferTime: Duration = .zero
    /// The final response's body when the request asked to keep it (`keepsBody`).
    public var body: [UInt8]?

    public init(request: VisitRequest, hops: [Hop] = [], failure: FetchFailure? = nil, jar: CookieJar = CookieJar()) {
        self.request = request
        self.hops = hops
        self.failure = failure
        self.jar = jar
    }

    /// The last response received, if any.
    public var finalHop: Hop? { hops.last }
}
