/// A page URL in its plainest form: `http://` or `https://`, a host of lower-case letters, digits and
/// hyphens in dot-separated labels, an optional port (1 to 65535, no leading zero), then a path and
/// query of characters that need no percent-encoding (RFC 3986 unreserved and sub-delims, `:`, `@`,
/// `/`, `?`), and no fragment. Foundation's `URLComponents` accepts every such URL with that host and
/// that path; recognising them from their bytes skips its parse, a third of loading a config of
/// 100,000 pages. Any other URL goes through `URLComponents` as before.
enum PlainHTTPURL {
    /// The path of `text` ("" when it has none) when it is a plain URL; nil when it is not.
    static func path(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var index: Int
            if bytes.starts(with: "http://".utf8) {
                index = 7
            } else if bytes.starts(with: "https://".utf8) {
                index = 8
            } else {
                return nil
            }
            guard let hostEnd = hostEnd(bytes, from: index) else { return nil }
            index = hostEnd
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                guard let portEnd = portEnd(bytes, from: index + 1) else { return nil }
                index = portEnd
            }
            guard index == bytes.count || bytes[index] == UInt8(ascii: "/") else { return nil }
            let pathStart = index
            var pathEnd: Int?
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "?") {
                    if pathEnd == nil { pathEnd = index }
                } else if !isPlain(byte) {
                    return nil
                }
                index += 1
            }
            return String(
                decoding: UnsafeBufferPointer(rebasing: bytes[pathStart..<(pathEnd ?? bytes.count)]), as: UTF8.self)
        }
    }

    /// Where the host starting at `start` ends: labels of `[a-z0-9-]` that neither start nor end with a
    /// hyphen, separated by single dots; nil when there is no such host.
    private static func hostEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        var labelStart = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                guard index > labelStart, bytes[index - 1] != UInt8(ascii: "-") else { return nil }
                labelStart = index + 1
            } else if isLowerLetterOrDigit(byte) || (byte == UInt8(ascii: "-") && index > labelStart) {
                // part of the label
            } else {
                break
            }
            index += 1
        }
        guard index > labelStart, bytes[index - 1] != UInt8(ascii: "-") else { return nil }
        return index
    }

    /// Where the port's digits starting at `start` end; nil unless it is 1 to 65535 without a leading zero.
    private static func portEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        var value = 0
        while index < bytes.count, index - start < 6, (0x30...0x39).contains(bytes[index]) {
            value = value * 10 + Int(bytes[index] - 0x30)
            index += 1
        }
        guard index > start, bytes[start] != UInt8(ascii: "0"), (1...65_535).contains(value) else { return nil }
        return index
    }

    private static func isLowerLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Unreserved, sub-delims, `:`, `@` and `/` (RFC 3986 pchar and `/`, without percent-encodings).
    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"),
            UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
            UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }
}
