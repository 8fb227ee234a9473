/// A Prometheus histogram as a value: cumulative buckets by upper bound, the sum and the count.
public struct Histogram: Sendable, Hashable {
    /// Upper bounds, ascending; `+Inf` is implied.
    public let bounds: [Double]
    /// Observations at or below each bound (not cumulative; `samples` accumulates).
    private var counts: [Int]
    public private(set) var sum: Double = 0
    public private(set) var count = 0

    public init(bounds: [Double]) {
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "histogram bounds must ascend")
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }

    public mutating func observe(_ value: Double) {
        sum += value
        count += 1
        if let index = bounds.firstIndex(where: { value <= $0 }) { counts[index] += 1 }
    }

    /// `(le, cumulative count)` for every bound, then `+Inf` with the total.
    public var buckets: [(upperBound: Double, count: Int)] {
        var running = 0
        var out: [(Double, Int)] = []
        for (bound, count) in zip(bounds, counts) {
            running += count
            out.append((bound, running))
        }
        out.append((.infinity, self.count))
        return out
    }
}
