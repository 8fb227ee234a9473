#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte searches on the parser's hot path: memchr for separators, eight bytes at a time for CTLs.
enum ByteScan {
    /// The index of the first `byte` in `b[from..<to]`, or `to`.
    @inline(__always)
    static func first(_ byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        firstIndex(byte, in: b, from: from, to: to) ?? to
    }

    /// The index of the first `byte` in `b[from..<to]`, or nil.
    @inline(__always)
    static func firstIndex(_ byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = b.baseAddress, let hit = memchr(base + from, Int32(byte), to - from) else {
            return nil
        }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the first %x00-08 / %x0A-1F / %x7F byte (a CTL other than HTAB), or nil.
    static func firstControlCharacter(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        if let base = b.baseAddress, b.count >= 8 {
            let raw = UnsafeRawPointer(base)
            // Two words a step, then the last eight bytes (overlapping) instead of a byte loop. A word
            // flagged (a CTL, or an HTAB, which the SWAR test also flags) is settled by the byte loop.
            while i + 16 <= b.count {
                if controlBits(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    | controlBits(raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) != 0
                {
                    break
                }
                i += 16
            }
            if i + 16 > b.count {
                if i + 8 <= b.count, controlBits(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) == 0 { i += 8 }
                if i + 8 > b.count, controlBits(raw.loadUnaligned(fromByteOffset: b.count - 8, as: UInt64.self)) == 0 {
                    return nil
                }
            }
        }
        while i < b.count {
            let c = b[i]
            if (c < 0x20 && c != 0x09) || c == 0x7F { return i }
            i += 1
        }
        return nil
    }

    /// SWAR: nonzero when a byte of `w` is below 0x20 or equals 0x7F (HTAB included: callers re-check).
    @inline(__always)
    private static func controlBits(_ w: UInt64) -> UInt64 {
        let low: UInt64 = 0x2020_2020_2020_2020
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let del: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let below = (w &- low) & ~w & high
        let x = w ^ del
        let isDel = (x &- ones) & ~x & high
        return below | isDel
    }
}
