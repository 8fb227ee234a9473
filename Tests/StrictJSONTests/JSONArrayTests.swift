import Testing

@testable import StrictJSON

@Suite("Long arrays kept as element starts")
struct JSONArrayTests {
    /// `{"pages": [...]}` with `count` objects, one a line after a line with a two-byte character, so
    /// that a column counted in bytes instead of characters, or a line off by one, shows.
    static func document(count: Int, broken: Int? = nil) -> [UInt8] {
        var text = "{\"é\": 1,\n\"pages\": [\n"
        for index in 0..<count {
            if index > 0 { text += ",\n" }
            text +=
                index == broken
                ? "  {\"url\": \"/p/\(index)\" \"x\": 1}" : "  {\"url\": \"é/p/\(index)\", \"n\": [\(index)]}"
        }
        text += "\n]}"
        return Array(text.utf8)
    }

    static func pages(_ value: JSONValue) -> JSONArray? {
        guard case .object(let members) = value.kind,
            case .array(let pages) = members.first(where: { $0.key == "pages" })?.value.kind
        else { return nil }
        return pages
    }

    @Test("a long array reads back every element, with its position, as a short one keeps it")
    func sameValues() throws {
        let count = JSONArray.lazyThreshold * 3
        let pages = try #require(Self.pages(try JSONReader.parse(Self.document(count: count))))
        #expect(!pages.keepsValues)
        #expect(pages.count == count)
        for index in [0, 1, JSONArray.lazyThreshold, count - 1] {
            let element = pages[index]
            #expect(element.position == SourcePosition(line: index + 3, column: 3))
            guard case .object(let members) = element.kind else {
                Issue.record("element \(index) is not an object")
                continue
            }
            #expect(
                members[0].value
                    == JSONValue(.string("é/p/\(index)"), position: SourcePosition(line: index + 3, column: 11)))
            // `  {"url": "é/p/N", ` is 19 characters before "n" when N has one digit.
            #expect(members[1].keyPosition == SourcePosition(line: index + 3, column: 19 + String(index).count))
            guard case .array(let numbers) = members[1].value.kind else {
                Issue.record("element \(index) has no array")
                continue
            }
            #expect(numbers.map(\.kind) == [.number(String(index))])
        }
        // The same document cut below the threshold keeps its values, and they are equal.
        let short = try #require(Self.pages(try JSONReader.parse(Self.document(count: JSONArray.lazyThreshold))))
        #expect(short.keepsValues)
        #expect(Array(short) == Array(pages.prefix(JSONArray.lazyThreshold)))
        // Written out, the long array is the whole array.
        let value = try JSONReader.parse(Self.document(count: count))
        let again = try JSONReader.parse(JSONWriter.canonical(value))
        #expect(JSONWriter.canonical(again) == JSONWriter.canonical(value))
        #expect(try #require(Self.pages(again)).count == count)
    }

    @Test("a syntax error past the threshold is found when the document is read, where it is")
    func errorPastThreshold() {
        let broken = JSONArray.lazyThreshold * 2 + 5
        #expect(throws: JSONSyntaxError.self) {
            try JSONReader.parse(Self.document(count: broken + 10, broken: broken))
        }
        do {
            _ = try JSONReader.parse(Self.document(count: broken + 10, broken: broken))
        } catch {
            #expect(error.position == SourcePosition(line: broken + 3, column: 21))
        }
    }

    @Test(
        "elements past the threshold are only checked on the first read, by the same rules: bad UTF-8 and escapes are found",
        arguments: [([0xFF], "invalid UTF-8 in string"), (Array(#"\q"#.utf8), "invalid escape '\\q'")])
    func checkedPastThreshold(bad: [UInt8], message: String) throws {
        let count = JSONArray.lazyThreshold * 2
        var bytes = Self.document(count: count)
        let marker = Array("/p/\(count - 3)\"".utf8)
        let at = try #require(bytes.indices.last { bytes[$0...].starts(with: marker) })
        bytes.insert(contentsOf: bad, at: at)
        #expect {
            try JSONReader.parse(bytes)
        } throws: { error in
            (error as? JSONSyntaxError)?.message == message
        }
    }

    @Test("nodes of a long array carry their index in the key path")
    func paths() throws {
        let count = JSONArray.lazyThreshold * 3
        let root = JSONNode(try JSONReader.parse(Self.document(count: count)))
        var diagnostics = Diagnostics(file: "document")
        guard case .object(let members) = root.value.kind else {
            Issue.record("not an object")
            return
        }
        let pages = try #require(JSONNode(members[1].value, path: root.path.appending("pages")).array(&diagnostics))
        #expect(pages[count - 1].path.description == "pages[\(count - 1)]")
        #expect(pages[count - 1].value.position == SourcePosition(line: count + 2, column: 3))
    }
}
