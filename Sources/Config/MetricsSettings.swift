/// Where `cookiewatch run` serves its Prometheus metrics (`/metrics`); absent: nowhere.
public struct MetricsSettings: Sendable, Hashable {
    /// An IPv4 address to listen on; a loopback one unless `allowRemote`.
    public var host: String
    /// 0: any free port (the address is logged at start).
    public var port: Int
    /// The operator asked for a non-loopback address on purpose.
    public var allowRemote: Bool

    public init(host: String, port: Int, allowRemote: Bool = false) {
        self.host = host
        self.port = port
        self.allowRemote = allowRemote
    }

    /// The address the packaged configuration uses.
    public static let defaultListen = "127.0.0.1:9731"
}
