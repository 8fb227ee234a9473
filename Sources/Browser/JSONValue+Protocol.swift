import StrictJSON

/// Reading DevTools messages: members by key, scalars by type. Missing or mistyped is nil.
extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    var string: String? {
        if case .string(let text) = kind { return text }
        return nil
    }

    var int: Int? {
        if case .number(let lexeme) = kind { return Int(lexeme) ?? Double(lexeme).map { Int($0) } }
        return nil
    }

    var double: Double? {
        if case .number(let lexeme) = kind { return Double(lexeme) }
        return nil
    }

    var bool: Bool? {
        if case .bool(let flag) = kind { return flag }
        return nil
    }

    var array: [JSONValue] {
        if case .array(let elements) = kind { return Array(elements) }
        return []
    }

    /// The members of an object in document order; empty for anything else.
    var members: [JSONValue.Member] {
        if case .object(let members) = kind { return members }
        return []
    }

    static func number(_ value: Double) -> JSONValue { JSONValue(.number(String(value))) }
}
