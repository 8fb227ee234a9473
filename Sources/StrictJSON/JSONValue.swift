/// A JSON value as read, with the position where it starts so that later checks can cite it.
public struct JSONValue: Sendable, Equatable {
    /// What the value is.
    public enum Kind: Sendable, Equatable {
        case null
        case bool(Bool)
        /// The number as written: integers stay exact and canonical output reproduces it.
        case number(String)
        case string(String)
        case array(JSONArray)
        /// Members in document order; duplicates are kept so that readers can report them.
        case object([Member])
    }

    /// One `"key": value` pair of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var keyPosition: SourcePosition?
        public var value: JSONValue

        public init(key: String, keyPosition: SourcePosition? = nil, value: JSONValue) {
            self.key = key
            self.keyPosition = keyPosition
            self.value = value
        }
    }

    public var kind: Kind
    /// Where the value starts in its source; nil for values built in code.
    public var position: SourcePosition?

    public init(_ kind: Kind, position: SourcePosition? = nil) {
        self.kind = kind
        self.position = position
    }

    /// A string value built in code.
    public static func string(_ text: String) -> JSONValue { JSONValue(.string(text)) }
    /// A boolean value built in code.
    public static func bool(_ flag: Bool) -> JSONValue { JSONValue(.bool(flag)) }
    /// An integer value built in code.
    public static func integer(_ number: Int) -> JSONValue { JSONValue(.number(String(number))) }
    /// An array built in code.
    public static func array(_ elements: [JSONValue]) -> JSONValue { JSONValue(.array(JSONArray(elements))) }
    /// An object built in code, members in the given order.
    public static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        JSONValue(.object(pairs.map { Member(key: $0.0, value: $0.1) }))
    }

    /// How error messages show this value after "got": strings quoted, containers by kind.
    public var shortDescription: String {
        switch kind {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let lexeme): return lexeme
        case .string(let text): return Self.quoted(text, limit: 60)
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// A string in double quotes for messages, escaped as JSON, cut to `limit` characters if given.
    public static func quoted(_ text: String, limit: Int? = nil) -> String {
        let cut = limit.map { text.count > $0 ? String(text.prefix($0 - 3)) + "..." : text } ?? text
        var out: [UInt8] = []
        JSONWriter.appendString(cut, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
