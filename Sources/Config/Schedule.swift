/// How often a site is scanned: every `interval`, each run shifted by a random delay up to `jitter`
/// so that sites (and several daemons) do not all fetch at once.
public struct Schedule: Sendable, Hashable {
    public var interval: Duration
    public var jitter: Duration

    public init(interval: Duration = .seconds(3_600), jitter: Duration = .seconds(300)) {
        self.interval = interval
        self.jitter = jitter
    }
}
