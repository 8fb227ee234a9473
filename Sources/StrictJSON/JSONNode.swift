/// A value together with its key path: what typed readers take so every error can say where it is.
public struct JSONNode: Sendable {
    public let value: JSONValue
    public let path: KeyPath

    public init(_ value: JSONValue, path: KeyPath = .root) {
        self.value = value
        self.path = path
    }

    /// The string, or nil after reporting what was found instead.
    public func string(_ diagnostics: inout Diagnostics) -> String? {
        if case .string(let text) = value.kind { return text }
        diagnostics.report("expected a string, got \(value.shortDescription)", at: self)
        return nil
    }

    /// A string that is not empty (after trimming spaces), or nil after reporting.
    public func nonEmptyString(_ diagnostics: inout Diagnostics) -> String? {
        guard let text = string(&diagnostics) else { return nil }
        if text.allSatisfy(\.isWhitespace) {
            diagnostics.report("expected a non-empty string, got \(value.shortDescription)", at: self)
            return nil
        }
        return text
    }

    /// The boolean, or nil after reporting.
    public func bool(_ diagnostics: inout Diagnostics) -> Bool? {
        if case .bool(let flag) = value.kind { return flag }
        diagnostics.report("expected true or false, got \(value.shortDescription)", at: self)
        return nil
    }

    /// An integer within `range`, or nil after reporting.
    public func integer(in range: ClosedRange<Int>, _ diagnostics: inout Diagnostics) -> Int? {
        if case .number(let lexeme) = value.kind, let number = Int(lexeme), range.contains(number) {
            return number
        }
        let bound =
            range.upperBound == Int.max
            ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
        diagnostics.report("expected an integer \(bound), got \(value.shortDescription)", at: self)
        return nil
    }

    /// The elements with their paths, or nil after reporting.
    public func array(_ diagnostics: inout Diagnostics) -> Elements? {
        if case .array(let elements) = value.kind { return Elements(values: elements, path: path) }
        diagnostics.report("expected an array, got \(value.shortDescription)", at: self)
        return nil
    }

    /// An array's elements as nodes, each with its path made when it is read: a 100,000-page config
    /// held 10 MB of nodes and paths while its pages were decoded, when made all at once.
    public struct Elements: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
        private let values: JSONArray
        private let path: KeyPath

        init(values: JSONArray, path: KeyPath) {
            self.values = values
            self.path = path
        }

        public init(arrayLiteral values: JSONValue...) { self.init(values: JSONArray(values), path: .root) }

        public var startIndex: Int { values.startIndex }
        public var endIndex: Int { values.endIndex }
        public subscript(position: Int) -> JSONNode { JSONNode(values[position], path: path.appending(position)) }
    }

    /// A non-empty array, or nil after reporting.
    public func nonEmptyArray(of what: String, _ diagnostics: inout Diagnostics) -> Elements? {
        guard let elements = array(&diagnostics) else { return nil }
        if elements.isEmpty {
            diagnostics.report("expected at least one \(what)", at: self)
            return nil
        }
        return elements
    }

    /// One of `choices` (by raw value), or nil after reporting the allowed values.
    public func oneOf<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ diagnostics: inout Diagnostics) -> T?
    where T.RawValue == String {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .string(let text) = value.kind else {
            diagnostics.report("expected one of \(allowed), got \(value.shortDescription)", at: self)
            return nil
        }
        if let choice = T(rawValue: text) { return choice }
        diagnostics.report("expected one of \(allowed), got \(value.shortDescription)", at: self)
        return nil
    }

    /// An object whose keys are free (a map such as headers), in document order, or nil after reporting.
    public func members(_ diagnostics: inout Diagnostics) -> [(key: String, node: JSONNode)]? {
        guard case .object(let members) = value.kind else {
            diagnostics.report("expected an object, got \(value.shortDescription)", at: self)
            return nil
        }
        // Most objects have a handful of keys: a set is built only for larger ones (a config of 100,000
        // pages reads 100,000 small objects).
        let small = members.count <= 8
        var seen = Set<String>()
        var result: [(key: String, node: JSONNode)] = []
        result.reserveCapacity(members.count)
        for member in members {
            let memberPath = path.appending(member.key)
            let duplicate = small ? result.contains { $0.key == member.key } : !seen.insert(member.key).inserted
            guard !duplicate else {
                diagnostics.report("duplicate key", path: memberPath, position: member.keyPosition)
                continue
            }
            result.append((member.key, JSONNode(member.value, path: memberPath)))
        }
        return result
    }
}
