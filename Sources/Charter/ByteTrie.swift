/// A frozen trie over byte strings, for finding every key that is a prefix of a name in one walk.
///
/// Nodes and edges live in flat arrays (edges sorted per node) so a lookup allocates nothing and
/// costs one short scan per byte of the name, however many keys there are.
public struct ByteTrie: Sendable {
    private var edgeStart: [Int32] = [0]
    private var edgeBytes: [UInt8] = []
    private var edgeTargets: [Int32] = []
    private var valueStart: [Int32] = [0]
    private var values: [Int32] = []

    /// Builds the trie of `keys`, each carrying a value reported when the key is a prefix.
    public init(_ keys: [(key: [UInt8], value: Int32)]) {
        var children: [[UInt8: Int32]] = [[:]]
        var nodeValues: [[Int32]] = [[]]
        for (key, value) in keys {
            var node = 0
            for byte in key {
                if let next = children[node][byte] {
                    node = Int(next)
                } else {
                    children.append([:])
                    nodeValues.append([])
                    let next = Int32(children.count - 1)
                    children[node][byte] = next
                    node = Int(next)
                }
            }
            nodeValues[node].append(value)
        }
        edgeStart = []
        valueStart = []
        for node in children.indices {
            edgeStart.append(Int32(edgeBytes.count))
            for (byte, target) in children[node].sorted(by: { $0.key < $1.key }) {
                edgeBytes.append(byte)
                edgeTargets.append(target)
            }
            valueStart.append(Int32(values.count))
            values.append(contentsOf: nodeValues[node])
        }
        edgeStart.append(Int32(edgeBytes.count))
        valueStart.append(Int32(values.count))
    }

    /// Calls `body` with the value of every key that is a prefix of `name` (read backwards when `reversed`).
    public func forEachPrefix(of name: UnsafeBufferPointer<UInt8>, reversed: Bool, _ body: (Int32) -> Void) {
        var node = 0
        var step = 0
        while true {
            for index in Int(valueStart[node])..<Int(valueStart[node + 1]) { body(values[index]) }
            guard step < name.count else { return }
            let byte = reversed ? name[name.count - 1 - step] : name[step]
            guard let next = child(of: node, byte) else { return }
            node = next
            step += 1
        }
    }

    private func child(of node: Int, _ byte: UInt8) -> Int? {
        var low = Int(edgeStart[node])
        var high = Int(edgeStart[node + 1])
        while low < high {
            let middle = (low + high) / 2
            let found = edgeBytes[middle]
            if found == byte { return Int(edgeTargets[middle]) }
            if found < byte { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}
