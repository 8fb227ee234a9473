import StrictJSON
import Testing

@Suite("The strict JSON reader")
struct JSONReaderTests {
    static func syntaxError(_ text: String) -> String? {
        do {
            _ = try JSONReader.parse(Array(text.utf8))
            return nil
        } catch {
            return error.description
        }
    }

    @Test(
        "invalid JSON is reported with its line and column",
        arguments: [
            ("", "unexpected end of input, expected a value (line 1, column 1)"),
            ("{\"a\": 1,}", "unexpected '}', expected a key in double quotes (line 1, column 9)"),
            (
                "{\n  \"a\": 1\n  \"b\": 2\n}",
                "unexpected '\"', expected ',' or '}' after an object member (line 3, column 3)"
            ),
            ("[1, 2", "unexpected end of input, expected ',' or ']' after an array element (line 1, column 6)"),
            ("{\"a\" 1}", "unexpected '1', expected ':' after a key (line 1, column 6)"),
            ("\"tab\there\"", "control character U+0009 in a string; escape it (line 1, column 5)"),
            ("[01]", "invalid number: leading zeros are not allowed (line 1, column 3)"),
            ("{\"é\": tru}", "unexpected 't', expected a value (line 1, column 7)"),
            ("{} {}", "unexpected '{' after the end of the document (line 1, column 4)"),
            ("\"\\x\"", "invalid escape '\\x' (line 1, column 3)"),
            ("'single'", "unexpected ''', expected a value (line 1, column 1)"),
        ])
    func syntax(text: String, message: String) {
        #expect(Self.syntaxError(text) == message)
    }

    @Test("values keep their positions and strings their escapes")
    func positions() throws {
        let value = try JSONReader.parse(
            Array("{\n  \"name\": \"caf\\u00e9 \\ud83c\\udf6a\",\n  \"n\": [1, -2.5e3]\n}".utf8))
        guard case .object(let members) = value.kind else {
            Issue.record("not an object")
            return
        }
        #expect(members[0].value == JSONValue(.string("café 🍪"), position: SourcePosition(line: 2, column: 11)))
        #expect(members[1].keyPosition == SourcePosition(line: 3, column: 3))
        guard case .array(let numbers) = members[1].value.kind else {
            Issue.record("not an array")
            return
        }
        #expect(numbers.map(\.kind) == [.number("1"), .number("-2.5e3")])
    }

    @Test("pretty output reads back to the same value")
    func roundTrip() throws {
        let text = "{\"b\":[true,null,{\"x\":\"line\\nbreak \\\"q\\\"\"}],\"a\":{}}"
        let value = try JSONReader.parse(Array(text.utf8))
        let again = try JSONReader.parse(Array(JSONWriter.pretty(value).utf8))
        #expect(JSONWriter.canonical(again) == JSONWriter.canonical(value))
        #expect(
            String(decoding: JSONWriter.canonical(value), as: UTF8.self)
                == "{\"a\":{},\"b\":[true,null,{\"x\":\"line\\nbreak \\\"q\\\"\"}]}")
    }
}
