/// Aggregates repeated errors per subject (a page that keeps failing), so the journal holds one line
/// per subject per window rather than one per scan: a value, tested with explicit times (seconds).
public struct RepeatedErrorGate: Sendable {
    /// What to do with one occurrence.
    public enum Decision: Sendable, Hashable {
        /// Log it; `suppressed` earlier occurrences were held back since the last line for this subject.
        case log(suppressed: Int)
        /// Hold it back: the subject was logged less than a window ago.
        case suppress
    }

    /// How long after logging a subject its repeats are held back.
    public let window: Int64
    private var lastLogged: [String: Int64] = [:]
    private var held: [String: Int] = [:]

    public init(window: Int64) { self.window = window }

    public mutating func occurrence(of subject: String, at now: Int64) -> Decision {
        if let last = lastLogged[subject], now - last < window {
            held[subject, default: 0] += 1
            return .suppress
        }
        lastLogged[subject] = now
        return .log(suppressed: held.removeValue(forKey: subject) ?? 0)
    }

    /// The subject recovered: its next error is logged at once. Returns how many were held back.
    public mutating func recovered(_ subject: String) -> Int {
        lastLogged[subject] = nil
        return held.removeValue(forKey: subject) ?? 0
    }
}
