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
    /// The bytes written are `storage[..<count]`; the rest is room, so that a write is a copy into it
    /// rather than an array append (uniqueness, capacity and a generic copy for every key and value:
    /// most of the cost of the daemon's history and state lines).
    private var storage: [UInt8]
    private(set) var count = 0
    /// A value was written at this level: the next key or element needs a comma.
    private var needsComma = false

    init(capacity: Int = 512) { storage = [UInt8](repeating: 0, count: Swift.max(capacity, 16)) }

    /// The bytes written so far.
    var bytes: [UInt8] { Array(storage[..<count]) }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// A key of ours: written as it is, without escaping.
    mutating func key(_ key: StaticString) {
        let length = key.utf8CodeUnitCount
        room(length + 4)
        storage.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            var at = count
            if needsComma {
                out[at] = UInt8(ascii: ",")
                at += 1
            }
            out[at] = UInt8(ascii: "\"")
            UnsafeMutableRawPointer(base + at + 1).copyMemory(from: key.utf8Start, byteCount: length)
            at += length + 1
            out[at] = UInt8(ascii: "\"")
            out[at + 1] = UInt8(ascii: ":")
            count = at + 2
        }
        needsComma = false
    }

    /// A string as JSONEncoder writes it: copied at once when nothing in it needs escaping.
    mutating func string(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { utf8 in
            guard !JSONWriter.needsEscape(utf8) else {
                var escaped: [UInt8] = []
                JSONWriter.appendString(String(decoding: utf8, as: UTF8.self), to: &escaped, encoderStyle: true)
                escaped.withUnsafeBytes { write($0) }
                return
            }
            room(utf8.count + 2)
            storage.withUnsafeMutableBufferPointer { out in
                out[count] = UInt8(ascii: "\"")
                if let source = utf8.baseAddress, let base = out.baseAddress {
                    (base + count + 1).update(from: source, count: utf8.count)
                }
                out[count + 1 + utf8.count] = UInt8(ascii: "\"")
            }
            count += utf8.count + 2
        }
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        value ? write("true") : write("false")
        needsComma = true
    }

    mutating func null() {
        separate()
        write("null")
        needsComma = true
    }

    mutating func int(_ value: Int64) {
        separate()
        // Digits written backwards into a 20-byte buffer on the stack, then copied: no string.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var magnitude = value.magnitude
            var at = buffer.count
            repeat {
                at -= 1
                buffer[at] = UInt8(truncatingIfNeeded: 0x30 + magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                at -= 1
                buffer[at] = UInt8(ascii: "-")
            }
            write(UnsafeRawBufferPointer(rebasing: buffer[at...]))
        }
        needsComma = true
    }

    mutating func int(_ value: Int) { int(Int64(value)) }

    /// `[a,b,c]`, each element written by `write`.
    /// By index: each element is lent to `write`, not copied (a `for in` copied every cookie, a retain
    /// and a release for each of its strings).
    mutating func array<Element>(_ elements: [Element], _ write: (Element, inout CompactJSON) -> Void) {
        beginArray()
        for index in elements.indices { write(elements[index], &self) }
        endArray()
    }

    /// A value encoded elsewhere (by JSONEncoder), placed as is.
    mutating func raw(_ encoded: [UInt8]) {
        separate()
        encoded.withUnsafeBytes { write($0) }
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
        var text: [UInt8] = []
        text.reserveCapacity(24)
        text.append(UInt8(ascii: "\""))
        CivilTime.appendRFC3339(CivilTimeText.seconds(value), to: &text)
        text.append(UInt8(ascii: "\""))
        text.withUnsafeBytes { write($0) }
        needsComma = true
    }

    /// The bytes written since the last call, emptied: lets a long document go out in chunks.
    mutating func takeBytes() -> [UInt8] {
        defer { count = 0 }
        return bytes
    }

    /// A newline before a closing bracket, for files read by people too.
    mutating func lineBreak() { write(0x0A) }

    /// The separator, if one is due, then a newline: the next member or element starts a line.
    mutating func separateLine() {
        separate()
        write(0x0A)
        needsComma = false
    }

    private mutating func separate() {
        if needsComma { write(UInt8(ascii: ",")) }
    }

    private mutating func open(_ byte: UInt8) {
        separate()
        write(byte)
        needsComma = false
    }

    private mutating func close(_ byte: UInt8) {
        write(byte)
        needsComma = true
    }

    // MARK: - Storage

    /// Makes room for `extra` more bytes: doubles the storage when it is short.
    private mutating func room(_ extra: Int) {
        guard count + extra > storage.count else { return }
        storage.append(contentsOf: repeatElement(0, count: Swift.max(storage.count, count + extra - storage.count)))
    }

    private mutating func write(_ byte: UInt8) {
        room(1)
        storage[count] = byte
        count += 1
    }

    private mutating func write(_ text: StaticString) {
        write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func write(_ source: UnsafeRawBufferPointer) {
        guard let base = source.baseAddress, !source.isEmpty else { return }
        room(source.count)
        let at = count
        storage.withUnsafeMutableBytes {
            $0.baseAddress?.advanced(by: at).copyMemory(from: base, byteCount: source.count)
        }
        count += source.count
    }
}
