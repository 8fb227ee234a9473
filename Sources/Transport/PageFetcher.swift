/// Visits pages the way a browser would; `CurlFetcher` is the real one, tests use in-memory ones.
public protocol PageFetcher: Sendable {
    /// Fetches `request.url`, following redirects, and reports every hop; failures are in the result.
    func visit(_ request: VisitRequest) async -> Exchange
}
