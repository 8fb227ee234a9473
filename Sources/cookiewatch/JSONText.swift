import Foundation
import StrictJSON

/// JSON string literals written straight into bytes: quotes, backslashes and control characters
/// escaped, everything else (UTF-8 included) as is, slashes unescaped like `encodeJSON`.
enum JSONText {
    static func string(_ text: String, into out: inout [UInt8]) { JSONWriter.appendString(text, to: &out) }

    /// An object written member by member; the caller gives the keys in sorted order.
    struct Object {
        private var empty = true

        init(into out: inout [UInt8]) { out.append(UInt8(ascii: "{")) }

        /// Keys are our own identifiers: written as they are, without escaping.
        mutating func key(_ key: StaticString, into out: inout [UInt8]) {
            if !empty { out.append(UInt8(ascii: ",")) }
            empty = false
            out.append(UInt8(ascii: "\""))
            key.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }

        /// A key that comes from data (an attribute name): escaped like any string.
        mutating func key(escaping key: String, into out: inout [UInt8]) {
            if !empty { out.append(UInt8(ascii: ",")) }
            empty = false
            JSONText.string(key, into: &out)
            out.append(UInt8(ascii: ":"))
        }

        mutating func string(_ key: StaticString, _ value: String, into out: inout [UInt8]) {
            self.key(key, into: &out)
            JSONText.string(value, into: &out)
        }

        mutating func bool(_ key: StaticString, _ value: Bool, into out: inout [UInt8]) {
            raw(key, value ? "true" : "false", into: &out)
        }

        /// A number or literal, written as given.
        mutating func raw(_ key: StaticString, _ value: String, into out: inout [UInt8]) {
            self.key(key, into: &out)
            out.append(contentsOf: value.utf8)
        }

        func end(into out: inout [UInt8]) { out.append(UInt8(ascii: "}")) }
    }

    static func strings(_ texts: [String], into out: inout [UInt8]) {
        array(texts, into: &out) { string($0, into: &$1) }
    }

    /// `[a,b,c]`, each element written by `write`.
    static func array<Element>(
        _ elements: [Element], into out: inout [UInt8], _ write: (Element, inout [UInt8]) -> Void
    ) {
        out.append(UInt8(ascii: "["))
        for (n, element) in elements.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            write(element, &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}
