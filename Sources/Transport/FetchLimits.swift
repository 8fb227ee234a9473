/// The bounds one visit runs within; every field has a safe default.
public struct FetchLimits: Sendable, Hashable {
    /// Time to establish each connection (TCP and TLS).
    public var connectTimeout: Duration = .seconds(10)
    /// Transfer time for the whole visit, all hops together: each hop gets what is left of it.
    /// Time spent waiting for a free transfer slot is not counted.
    public var visitTimeout: Duration = .seconds(30)
    /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedTime` is abandoned as a timeout
    /// (CURLOPT_LOW_SPEED_LIMIT / CURLOPT_LOW_SPEED_TIME), so a trickling peer cannot hold a slot.
    public var lowSpeedBytesPerSecond = 1
    public var lowSpeedTime: Duration = .seconds(10)
    /// Redirects followed after the first request; one more is `too-many-redirects`.
    public var maxRedirects = 10
    /// Bytes of response body read per hop before the visit fails with `body-too-large`.
    public var bodyCap = 2 * 1024 * 1024
    /// Bytes of response headers accepted per hop before the visit fails with `headers-too-large`.
    /// libcurl 7.88.1 (Debian) refuses more than 300 KB of headers, or one line over 100 KB, on its own;
    /// those end as `headers-too-large` too.
    public var headerCap = 256 * 1024
    /// Which resolved addresses may be connected to (checked on every hop).
    public var addressPolicy = AddressPolicy()
    /// A PEM file of extra trusted CAs for this site (CURLOPT_CAINFO); the system CA directory still applies.
    public var extraCAFile: String?
    /// Host names mapped to addresses (CURLOPT_RESOLVE, like curl's `--resolve`); the address policy
    /// still judges the address.
    public var resolve: [String: String] = [:]
    /// Whether a final status of 400 or more makes the visit an `http-status` failure.
    public var failOnHTTPError = true

    public init() {}
}
