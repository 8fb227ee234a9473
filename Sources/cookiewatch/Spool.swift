import Foundation

/// Output written while a command runs, kept in an unlinked temporary file rather than in memory, and
/// copied out when the command knows what goes before it (counts, a final cookie store). Buffered:
/// one `write(2)` per 64 KiB.
final class Spool {
    private let file: FileHandle
    private var buffer: [UInt8] = []
    private var flushed: Int64 = 0

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cookiewatch-spool-\(UUID().uuidString)"
        ).path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forUpdatingAtPath: path)
        else { throw CommandFailure.internalFailure("cannot create a spool file at \(path)") }
        unlink(path)
        file = handle
        buffer.reserveCapacity(1 << 16)
    }

    /// Where the next byte appended will be.
    var offset: Int64 { flushed + Int64(buffer.count) }

    /// Appends through `write`, which adds bytes to the buffer it is given.
    func append(_ write: (inout [UInt8]) -> Void) throws {
        write(&buffer)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// The bytes at `offset`, `length` long. Read through a window of 1 MiB: pages are read back in
    /// configuration order and were mostly spooled in about that order, so one pread(2) serves
    /// thousands of them (it was one a page). The window moves on only for a read just past it (the
    /// next pages); a page far before or after it (one that finished much earlier or later than its
    /// neighbours) is read on its own, so that the window is not read again for each such page.
    func read(at offset: Int64, length: Int) throws -> ArraySlice<UInt8> {
        try flush()
        let windowEnd = windowStart + Int64(window.count)
        if offset >= windowStart, offset + Int64(length) <= windowEnd {
            let start = Int(offset - windowStart)
            return window[start..<start + length]
        }
        guard offset >= windowEnd, offset < windowEnd + Self.windowSize else {
            return try readExactly(at: offset, length: length)[...]
        }
        // A little before the page too: neighbours that finished in a slightly different order.
        let from = max(0, offset - Self.windowSize / 16)
        let size = Int(min(max(Int64(length) + offset - from, Self.windowSize), flushed - from))
        window = try readExactly(at: from, length: size)
        windowStart = from
        let start = Int(offset - windowStart)
        return window[start..<start + length]
    }

    private static let windowSize: Int64 = 1 << 20
    private var window: [UInt8] = []
    private var windowStart: Int64 = 0

    private func readExactly(at offset: Int64, length: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let count = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return pread(file.fileDescriptor, base + done, length - done, off_t(offset) + off_t(done))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let reason = count < 0 ? String(cString: strerror(errno)) : "it ended early"
                throw CommandFailure.internalFailure("cannot read the spool file: \(reason)")
            }
            done += count
        }
        return bytes
    }

    /// Everything appended, in order, to `output`.
    func copyAll(to output: FileHandle) throws {
        try flush()
        try file.seek(toOffset: 0)
        while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try file.seekToEnd()
        try file.write(contentsOf: buffer)
        flushed += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}
