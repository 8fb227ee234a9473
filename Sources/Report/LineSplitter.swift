import Foundation

/// Cuts a byte stream read in chunks into `\n`-terminated lines, keeping only the unfinished line
/// between chunks, so that a reader's memory does not grow with the file.
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []
    /// Lines handed out so far; the next line's 1-based number is `count + 1`.
    public private(set) var count = 0

    public init() {}

    /// Calls `body` with each complete line of `chunk` (without its newline) and its line number.
    public mutating func feed(_ chunk: some Collection<UInt8>, _ body: (ArraySlice<UInt8>, Int) -> Void) {
        feed(ArraySlice(chunk), body)
    }

    /// Calls `body` with each complete line of `chunk` (without its newline) and its line number.
    /// Lines inside the chunk are handed out in place; only a line cut by the chunk's end is copied.
    public mutating func feed(_ chunk: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>, Int) -> Void) {
        var start = chunk.startIndex
        while let end = Self.newline(in: chunk, from: start) {
            count += 1
            if pending.isEmpty {
                body(chunk[start..<end], count)
            } else {
                pending.append(contentsOf: chunk[start..<end])
                body(pending[...], count)
                pending.removeAll(keepingCapacity: true)
            }
            start = end + 1
        }
        pending.append(contentsOf: chunk[start...])
    }

    /// The index of the next `\n` at or after `start`, found with `memchr`.
    private static func newline(in chunk: ArraySlice<UInt8>, from start: Int) -> Int? {
        chunk.withUnsafeBufferPointer { buffer -> Int? in
            let offset = start - chunk.startIndex
            guard offset < buffer.count, let base = buffer.baseAddress,
                let found = memchr(base + offset, 0x0A, buffer.count - offset)
            else { return nil }
            return chunk.startIndex + (UnsafeRawPointer(found) - UnsafeRawPointer(base))
        }
    }

    /// The bytes after the last newline once the stream has ended: a torn last line, if not empty.
    public var tail: [UInt8] { pending }
}
