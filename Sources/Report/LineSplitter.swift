/// Cuts a byte stream read in chunks into `\n`-terminated lines, keeping only the unfinished line
/// between chunks, so that a reader's memory does not grow with the file.
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []
    /// Lines handed out so far; the next line's 1-based number is `count + 1`.
    public private(set) var count = 0

    public init() {}

    /// Calls `body` with each complete line of `chunk` (without its newline) and its line number.
    public mutating func feed(_ chunk: some Collection<UInt8>, _ body: (ArraySlice<UInt8>, Int) -> Void) {
        pending.append(contentsOf: chunk)
        var start = pending.startIndex
        while let end = pending[start...].firstIndex(of: 0x0A) {
            count += 1
            body(pending[start..<end], count)
            start = end + 1
        }
        pending.removeSubrange(..<start)
    }

    /// The bytes after the last newline once the stream has ended: a torn last line, if not empty.
    public var tail: [UInt8] { pending }
}
