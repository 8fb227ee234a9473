/// A strict RFC 8259 reader that keeps the position of every value.
///
/// Foundation's `JSONDecoder` cannot say where a value was or reject unknown keys; this reader gives
/// each value its line and column so that type errors found later can still cite them.
public struct JSONReader {
    /// Deeper documents are refused rather than risking the stack.
    public static let maximumDepth = 256
    /// Documents up to this size keep every array's values (see `JSONArray`).
    static let lazyDocumentBytes = 1 << 16

    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var lineStart = 0
    // Columns count scalars; positions are asked for in increasing order, so counting resumes
    // from the last answer and the whole document is scanned once.
    private var columnOffset = 0
    private var column = 1
    /// Set while checking the elements of a long array past `JSONArray.lazyThreshold`: they are read
    /// again when accessed, so here they are only checked, by the same code, and nothing is built
    /// (values come back as null, strings empty).
    private var skipping = false

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark is not JSON but editors write one; skip it.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            offset = 3
            lineStart = 3
            columnOffset = 3
        }
    }

    /// Parses a whole document: one value, surrounded only by whitespace.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        if reader.offset < bytes.count {
            throw reader.error("unexpected \(reader.describeCurrent()) after the end of the document")
        }
        return value
    }

    /// The element of a long array that starts at `start` of `document`, which was read whole before.
    static func element(of document: [UInt8], at start: JSONArray.Start) -> JSONValue {
        var reader = JSONReader(bytes: document)
        reader.offset = Int(start.offset)
        reader.line = Int(start.line)
        reader.lineStart = reader.offset
        reader.columnOffset = reader.offset
        reader.column = Int(start.column)
        do {
            return try reader.readValue(depth: 1)
        } catch {
            preconditionFailure("an array element read once failed the second time: \(error.message)")
        }
    }

    /// Parses a document and turns a syntax error into a validation error of `file`.
    public static func read(_ bytes: [UInt8], file: String) throws(ValidationErrors) -> JSONNode {
        do {
            return JSONNode(try parse(bytes))
        } catch {
            throw ValidationErrors([
                ValidationError(file: file, position: error.position, message: "invalid JSON: \(error.message)")
            ])
        }
    }

    // MARK: - Values

    private mutating func readValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        guard offset < bytes.count else { throw error("unexpected end of input, expected a value") }
        let start = skipping ? nil : position()
        switch bytes[offset] {
        case UInt8(ascii: "{"): return JSONValue(.object(try readObject(depth: depth)), position: start)
        case UInt8(ascii: "["): return JSONValue(.array(try readArray(depth: depth)), position: start)
        case UInt8(ascii: "\""): return JSONValue(.string(try readString()), position: start)
        case UInt8(ascii: "t"): try readLiteral("true"); return JSONValue(.bool(true), position: start)
        case UInt8(ascii: "f"): try readLiteral("false"); return JSONValue(.bool(false), position: start)
        case UInt8(ascii: "n"): try readLiteral("null"); return JSONValue(.null, position: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONValue(.number(try readNumber()), position: start)
        default:
            throw error("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func readObject(depth: Int) throws(JSONSyntaxError) -> [JSONValue.Member] {
        offset += 1
        var members: [JSONValue.Member] = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            offset += 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else {
                throw error("unexpected \(describeCurrent()), expected a key in double quotes")
            }
            let keyPosition = skipping ? nil : position()
            let key = try readString()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else {
                throw error("unexpected \(describeCurrent()), expected ':' after a key")
            }
            offset += 1
            skipWhitespace()
            let value = try readValue(depth: depth + 1)
            if !skipping { members.append(JSONValue.Member(key: key, keyPosition: keyPosition, value: value)) }
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                offset += 1
                continue
            }
            if peek(UInt8(ascii: "}")) {
                offset += 1
                return members
            }
            throw error("unexpected \(describeCurrent()), expected ',' or '}' after an object member")
        }
    }

    /// The elements; past `JSONArray.lazyThreshold` of them, only where each starts (each is still read
    /// whole here, so that a syntax error anywhere is found now).
    private mutating func readArray(depth: Int) throws(JSONSyntaxError) -> JSONArray {
        offset += 1
        var elements: [JSONValue] = []
        var starts: [JSONArray.Start] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            offset += 1
            return JSONArray(elements)
        }
        // Only documents past 64 KiB can hold a long array; below, no element start is recorded. Offsets
        // are kept in 32 bits: a larger document keeps its values (none gets near: the configuration and
        // charter readers cap their files far below).
        let lazy = !skipping && bytes.count > Self.lazyDocumentBytes && bytes.count <= Int(UInt32.max)
        while true {
            skipWhitespace()
            if lazy {
                let at = position()
                starts.append(JSONArray.Start(offset: UInt32(offset), line: UInt32(at.line), column: UInt32(at.column)))
            }
            if lazy, starts.count > JSONArray.lazyThreshold {
                elements = []
                skipping = true
                defer { skipping = false }
                _ = try readValue(depth: depth + 1)
            } else {
                let value = try readValue(depth: depth + 1)
                if !skipping { elements.append(value) }
            }
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                offset += 1
                continue
            }
            if peek(UInt8(ascii: "]")) {
                offset += 1
                return elements.isEmpty ? JSONArray(document: bytes, starts: starts) : JSONArray(elements)
            }
            throw error("unexpected \(describeCurrent()), expected ',' or ']' after an array element")
        }
    }

    private mutating func readLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let expected = word.withUTF8Buffer { Array($0) }
        guard bytes.count - offset >= expected.count, Array(bytes[offset..<offset + expected.count]) == expected else {
            throw error("unexpected \(describeCurrent()), expected a value")
        }
        offset += expected.count
    }

    private mutating func readNumber() throws(JSONSyntaxError) -> String {
        let start = offset
        if peek(UInt8(ascii: "-")) { offset += 1 }
        if peek(UInt8(ascii: "0")) {
            offset += 1
        } else if !skipDigits() {
            throw error("invalid number: expected a digit")
        }
        if peek(UInt8(ascii: ".")) {
            offset += 1
            guard skipDigits() else { throw error("invalid number: expected a digit after '.'") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            offset += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { offset += 1 }
            guard skipDigits() else { throw error("invalid number: expected a digit in the exponent") }
        }
        if offset < bytes.count, isDigit(bytes[offset]) {
            throw error("invalid number: leading zeros are not allowed")
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func skipDigits() -> Bool {
        let start = offset
        while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
        return offset > start
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func readString() throws(JSONSyntaxError) -> String {
        offset += 1
        // Most strings have no escape: their bytes become the string at once.
        let start = offset
        var ascii = true
        while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\"),
            bytes[offset] >= 0x20
        {
            ascii = ascii && bytes[offset] < 0x80
            offset += 1
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") {
            offset += 1
            if ascii, skipping { return "" }
            let text = bytes.withUnsafeBufferPointer { all in
                let run = UnsafeBufferPointer(rebasing: all[start..<(offset - 1)])
                // ASCII is valid UTF-8 as it is; the generic validation was a tenth of reading a large file.
                return ascii ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
            }
            guard let text else { throw error("invalid UTF-8 in string") }
            return text
        }
        var out = Array(bytes[start..<offset])
        while true {
            guard offset < bytes.count else { throw error("unterminated string") }
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string")
                }
                return text
            case UInt8(ascii: "\\"):
                try readEscape(into: &out)
            case 0..<0x20:
                throw error("control character U+00\(hex(byte)) in a string; escape it")
            default:
                out.append(byte)
                offset += 1
            }
        }
    }

    private mutating func readEscape(into out: inout [UInt8]) throws(JSONSyntaxError) {
        offset += 1
        guard offset < bytes.count else { throw error("unterminated string") }
        let escaped = bytes[offset]
        offset += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard bytes.count - offset >= 6, bytes[offset] == UInt8(ascii: "\\"),
                    bytes[offset + 1] == UInt8(ascii: "u")
                else { throw error("unpaired surrogate in \\u escape") }
                offset += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("unpaired surrogate in \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            offset -= 1
            throw error("invalid escape '\\\(String(decoding: [escaped], as: UTF8.self))'")
        }
    }

    private mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw error("invalid \\u escape: expected 4 hex digits") }
        var value: UInt32 = 0
        for byte in bytes[offset..<offset + 4] {
            guard let digit = hexValue(byte) else { throw error("invalid \\u escape: expected 4 hex digits") }
            value = value << 4 | digit
        }
        offset += 4
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    // MARK: - Positions

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                offset += 1
            case UInt8(ascii: "\n"):
                offset += 1
                line += 1
                lineStart = offset
                columnOffset = offset
                column = 1
            default:
                return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool { offset < bytes.count && bytes[offset] == byte }

    private mutating func position() -> SourcePosition {
        if columnOffset < lineStart || columnOffset > offset {
            columnOffset = lineStart
            column = 1
        }
        while columnOffset < offset {
            // Only lead bytes start a scalar; continuation bytes are 10xxxxxx.
            if bytes[columnOffset] & 0xC0 != 0x80 { column += 1 }
            columnOffset += 1
        }
        return SourcePosition(line: line, column: column)
    }

    private mutating func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, position: position())
    }

    private func describeCurrent() -> String {
        guard offset < bytes.count else { return "end of input" }
        let byte = bytes[offset]
        if byte >= 0x21 && byte < 0x7F { return "'\(String(decoding: [byte], as: UTF8.self))'" }
        return "byte 0x\(hex(byte))"
    }
}
