/// Where a renderer writes: text handed on in chunks of about `chunkSize` bytes, so that a report is
/// never held whole in memory (a year of history for 100 sites renders to tens of megabytes).
public struct ReportStream {
    private var buffer: [UInt8] = []
    private let chunkSize: Int
    private let sink: ([UInt8]) -> Void

    /// `sink` receives each chunk in order; `finish()` hands on the last one.
    public init(chunkSize: Int = 1 << 16, _ sink: @escaping ([UInt8]) -> Void) {
        self.chunkSize = chunkSize
        self.sink = sink
        buffer.reserveCapacity(chunkSize)
    }

    public mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= chunkSize { flush() }
    }

    public mutating func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunkSize { flush() }
    }

    /// Hands on what is buffered.
    public mutating func finish() { flush() }

    private mutating func flush() {
        guard !buffer.isEmpty else { return }
        sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// The whole text `render` writes, for callers that want it as one string (tests, small reports).
    static func text(_ render: (inout ReportStream) -> Void) -> String {
        var bytes: [UInt8] = []
        var stream = ReportStream { bytes.append(contentsOf: $0) }
        render(&stream)
        stream.finish()
        return String(decoding: bytes, as: UTF8.self)
    }
}
