/// Writes JSON: readable (members in their order, two-space indent) or canonical (sorted keys, no spaces).
public enum JSONWriter {
    /// Indented text ending with a newline, members in the order they were built or read.
    public static func pretty(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        writePretty(value, indent: 0, to: &out)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical bytes of a value: keys sorted by their UTF-8 bytes, no insignificant whitespace,
    /// numbers as written, strings with the minimal escapes. Two documents that differ only in layout
    /// or key order have the same canonical bytes, and so the same digest.
    public static func canonical(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        writeCanonical(value, to: &out)
        return out
    }

    /// Appends `value` as `pretty` writes it when nested `indent` levels deep, without a final newline:
    /// lets a caller stream a large document one member at a time.
    public static func appendPretty(_ value: JSONValue, indent: Int, to out: inout [UInt8]) {
        writePretty(value, indent: indent, to: &out)
    }

    /// Appends `text` as a JSON string literal: `"` and `\` escaped, `\n \r \t` in short, other control
    /// characters as `\u00XX` (lower-case hex); with `encoderStyle`, `\b` and `\f` in short too, as
    /// Foundation's JSONEncoder writes them. Everything else, UTF-8 and slashes included, as is.
    public static func appendString(_ text: String, to out: inout [UInt8], encoderStyle: Bool = false) {
        var text = text
        text.withUTF8 { utf8 in
            out.append(UInt8(ascii: "\""))
            // Most strings need no escape: copied in one go.
            guard needsEscape(utf8) else {
                out.append(contentsOf: utf8)
                out.append(UInt8(ascii: "\""))
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
                case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0x08 where encoderStyle: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
                case 0x0C where encoderStyle: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
                case 0..<0x20:
                    out.append(contentsOf: #"\u00"#.utf8)
                    out += [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Whether `utf8` holds a byte JSON escapes (a control character, `"` or `\`). Eight bytes at a time
    /// (a byte-by-byte scan was most of the cost of writing the daemon's short strings): the classic
    /// "has a byte less than n" and "has a zero byte" word tricks, which can only err where a byte
    /// before it matched already.
    public static func needsEscape(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        if let base = UnsafeRawPointer(utf8.baseAddress) {
            while index + 8 <= utf8.count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let control = (word &- ones &* 0x20) & ~word
                let found = control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                if found & highs != 0 { return true }
                index += 8
            }
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            index += 1
        }
        return false
    }

    private static func writePretty(_ value: JSONValue, indent: Int, to out: inout [UInt8]) {
        switch value.kind {
        case .array(let elements) where !elements.isEmpty:
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1, &out)
                writePretty(element, indent: indent + 1, to: &out)
            }
            newline(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1, &out)
                appendString(member.key, to: &out)
                out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
                writePretty(member.value, indent: indent + 1, to: &out)
            }
            newline(indent, &out)
            out.append(UInt8(ascii: "}"))
        default:
            writeCanonical(value, to: &out)
        }
    }

    private static func newline(_ indent: Int, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private static func writeCanonical(_ value: JSONValue, to out: inout [UInt8]) {
        switch value.kind {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let flag): out.append(contentsOf: Array((flag ? "true" : "false").utf8))
        case .number(let lexeme): out.append(contentsOf: Array(lexeme.utf8))
        case .string(let text): appendString(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeCanonical(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                writeCanonical(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
