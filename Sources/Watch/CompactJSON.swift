import CookieModel
import Foundation
import StrictJSON

/// Compact JSON written straight into bytes, as `WatchJSON.encode` (JSONEncoder with sorted keys and
/// unescaped slashes) writes the same values: the history's lines, the cookie-list digest and the
/// state journal's page lines are written with it, several times faster than JSONEncoder's value tree.
/// `CompactJSONTests` holds the bytes identical to JSONEncoder's: the digest decides whether a page
/// changed, so one byte of difference would make every page read "changed" after an upgrade.
///
/// Callers give an object's keys in JSONEncoder's sorted order (by UTF-8 bytes).
struct CompactJSON {
    private(set) var bytes: [UInt8] = []
    /// A value was written at this level: the next key or element needs a comma.
    private var needsComma = false

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// A key of ours: written as it is, without escaping.
    mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ text: String) {
        separate()
        JSONWriter.appendString(text, to: &bytes, encoderStyle: true)
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
        needsComma = true
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: Self.nullBytes)
        needsComma = true
    }

    mutating func int(_ value: Int64) {
        separate()
        // Up to 15 digits is a small string: no allocation.
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    mutating func int(_ value: Int) { int(Int64(value)) }

    /// `[a,b,c]`, each element written by `write`.
    mutating func array<Element>(_ elements: [Element], _ write: (Element, inout CompactJSON) -> Void) {
        beginArray()
        for element in elements { write(element, &self) }
        endArray()
    }

    /// A value encoded elsewhere (by JSONEncoder), placed as is.
    mutating func raw(_ encoded: [UInt8]) {
        separate()
        bytes.append(contentsOf: encoded)
        needsComma = true
    }

    mutating func member(_ key: StaticString, _ value: String) {
        self.key(key)
        string(value)
    }

    mutating func member(_ key: StaticString, _ value: Bool) {
        self.key(key)
        bool(value)
    }

    mutating func member(_ key: StaticString, _ value: Int) {
        self.key(key)
        int(value)
    }

    /// A number, or `null` when absent (JSONEncoder's `encode` of an optional, not `encodeIfPresent`).
    mutating func member(_ key: StaticString, _ value: Int64?) {
        self.key(key)
        if let value { int(value) } else { null() }
    }

    /// JSONEncoder's time: RFC 3339 to the second, as a string.
    mutating func member(_ key: StaticString, _ value: Date) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        CivilTime.appendRFC3339(CivilTimeText.seconds(value), to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// The bytes written since the last call, emptied: lets a long document go out in chunks.
    mutating func takeBytes() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    /// A newline before a closing bracket, for files read by people too.
    mutating func lineBreak() { bytes.append(0x0A) }

    /// The separator, if one is due, then a newline: the next member or element starts a line.
    mutating func separateLine() {
        separate()
        bytes.append(0x0A)
        needsComma = false
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func open(_ byte: UInt8) {
        separate()
        bytes.append(byte)
        needsComma = false
    }

    private mutating func close(_ byte: UInt8) {
        bytes.append(byte)
        needsComma = true
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)
}
