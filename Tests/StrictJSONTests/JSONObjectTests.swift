import Testing

@testable import StrictJSON

@Suite("Objects read against their keys")
struct JSONObjectTests {
    /// An object of `count` keys `k0`, `k1`, ... with `k1` written again last.
    static func object(count: Int) throws -> JSONNode {
        let members = (0..<count).map { "\"k\($0)\": \($0)" } + ["\"k1\": \"again\""]
        return JSONNode(try JSONReader.parse(Array("{\(members.joined(separator: ", "))}".utf8)))
    }

    @Test(
        "a duplicate key is reported at its second place and the first value kept, in small and large objects",
        arguments: [3, 8, 9, 40])
    func duplicates(count: Int) throws {
        let node = try Self.object(count: count)
        var diagnostics = Diagnostics(file: "f.json")
        let keys = (0..<count).map { "k\($0)" }
        let object = try #require(JSONObject(node, keys: keys, required: ["k0", "missing"], &diagnostics))
        #expect(
            diagnostics.errors.map(\.description) == [
                "f.json: k1: duplicate key (line 1, column \(1 + (0..<count).map { "\"k\($0)\": \($0), " }.joined().count + 1))",
                "f.json: missing required key \"missing\" (line 1, column 1)",
            ])
        #expect(object["k1"]?.value.kind == .number("1"))
        #expect(object["k\(count - 1)"] != nil && object["absent"] == nil)
    }
}
