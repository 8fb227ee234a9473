import Testing

@testable import StrictJSON

@Suite("Strings written as JSON")
struct JSONWriterTests {
    @Test(
        "a byte is found to need escaping exactly when it is a control character, a quote or a backslash, wherever it is"
    )
    func needsEscapeEveryByteEveryPlace() {
        for length in [1, 7, 8, 9, 16, 17, 31] {
            for place in 0..<length {
                for value in 0...255 {
                    let byte = UInt8(value)
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    // Neighbours that sit next to the tricks' thresholds: 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x80, 0xFF.
                    for (offset, neighbour) in [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x80, 0xFF].enumerated()
                    where offset != place && offset < length {
                        bytes[offset] = UInt8(neighbour)
                    }
                    bytes[place] = byte
                    let expected = byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                    let found = bytes.withUnsafeBufferPointer { JSONWriter.needsEscape($0) }
                    guard found == expected else {
                        Issue.record("byte \(value) at \(place) of \(length): \(found)")
                        return
                    }
                }
            }
        }
    }

    @Test("strings come out escaped as JSONEncoder escapes them, plain ones as they are")
    func escapes() {
        var out: [UInt8] = []
        JSONWriter.appendString("plain text, long enough for words é", to: &out)
        JSONWriter.appendString("a\"b\\c\nd\u{1}e/é and more text after", to: &out, encoderStyle: true)
        #expect(
            String(decoding: out, as: UTF8.self)
                == #""plain text, long enough for words é""a\"b\\c\nd\u0001e/é and more text after""#)
    }
}
