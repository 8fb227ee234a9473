/// Bounds on every fetch, so that one slow or hostile site cannot stall or exhaust the daemon.
public struct Limits: Sendable, Hashable {
    public var connectTimeout: Duration
    /// For the whole exchange, redirects included.
    public var totalTimeout: Duration
    public var maxRedirects: Int
    /// Bodies are read only up to this many bytes (the cookies are in the headers).
    public var bodyCapBytes: Int
    /// Fetches in flight over all sites.
    public var concurrency: Int
    /// Fetches in flight to one host.
    public var perHostConcurrency: Int

    public init(
        connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(30), maxRedirects: Int = 10,
        bodyCapBytes: Int = 5 * 1_048_576, concurrency: Int = 4, perHostConcurrency: Int = 1
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxRedirects = maxRedirects
        self.bodyCapBytes = bodyCapBytes
        self.concurrency = concurrency
        self.perHostConcurrency = perHostConcurrency
    }
}

/// Visits started at once, overall and to one host (`Configuration.visitCaps`).
public struct VisitCaps: Sendable, Hashable {
    /// Visits started per fetch slot.
    public static let lookahead = 2
    public var total: Int
    public var perHost: Int

    public init(total: Int, perHost: Int) {
        self.total = total
        self.perHost = perHost
    }
}
