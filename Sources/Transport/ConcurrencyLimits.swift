/// How many transfers a `CurlFetcher` runs at once, overall and per host.
public struct ConcurrencyLimits: Sendable, Hashable {
    /// Transfers in flight at once; further ones wait in the fetcher's queue without their clock running.
    public var maxTransfers = 16
    /// Transfers in flight at once to one host name.
    public var maxTransfersPerHost = 4
    /// Open connections kept in curl's cache for reuse (CURLMOPT_MAXCONNECTS).
    public var maxCachedConnections = 64

    public init(maxTransfers: Int = 16, maxTransfersPerHost: Int = 4, maxCachedConnections: Int = 64) {
        self.maxTransfers = max(1, maxTransfers)
        self.maxTransfersPerHost = max(1, maxTransfersPerHost)
        self.maxCachedConnections = max(1, maxCachedConnections)
    }
}
