/// When each phase of a hop's transfer ended, measured from its start (libcurl's *_TIME_T infos).
public struct HopTimings: Sendable, Hashable {
    public var nameLookup: Duration = .zero
    public var connect: Duration = .zero
    /// TLS handshake done; zero for plain HTTP.
    public var tlsHandshake: Duration = .zero
    /// First response byte received.
    public var firstByte: Duration = .zero
    public var total: Duration = .zero

    public init() {}
}
