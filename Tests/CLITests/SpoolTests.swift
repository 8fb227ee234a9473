import Testing

@testable import cookiewatch

@Suite("Spool: output kept in a temporary file and read back")
struct SpoolTests {
    @Test("lines read back in another order than spooled, across read windows, come back whole")
    func readsBackAnyOrder() throws {
        let spool = try Spool()
        var spans: [(offset: Int64, line: [UInt8])] = []
        // About 3.5 MiB: several read windows; lengths vary so that lines straddle window edges.
        for index in 0..<20_000 {
            let line = Array("{\"page\":\(index),\"pad\":\"\(String(repeating: "x", count: index % 331))\"}".utf8)
            let offset = spool.offset
            try spool.append { $0 += line }
            spans.append((offset, line))
        }
        var generator = SystemRandomNumberGenerator()
        let order = Array(spans.indices).shuffled(using: &generator)
        // In order, then shuffled, then backwards: a window hit, a miss before and after the window.
        for index in Array(spans.indices) + order + spans.indices.reversed() {
            let span = spans[index]
            let read = try spool.read(at: span.offset, length: span.line.count)
            guard Array(read) == span.line else {
                Issue.record(
                    "line \(index) at offset \(span.offset) read back as \(String(decoding: read, as: UTF8.self))")
                return
            }
        }
    }

    @Test("a line longer than the read window is read whole")
    func longLine() throws {
        let spool = try Spool()
        try spool.append { $0 += Array("head".utf8) }
        let long = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let offset = spool.offset
        try spool.append { $0 += long }
        try spool.append { $0 += Array("tail".utf8) }
        #expect(Array(try spool.read(at: offset, length: long.count)) == long)
        #expect(Array(try spool.read(at: 0, length: 4)) == Array("head".utf8))
        #expect(Array(try spool.read(at: offset + Int64(long.count), length: 4)) == Array("tail".utf8))
    }
}
