import StrictJSON

extension Charter {
    /// The registry document of this charter, keys in the order DESIGN.md shows them.
    public var jsonValue: JSONValue { Self.document(name: name, source: source, entries: entries) }

    static func document(name: String, source: String?, entries: [CharterEntry]) -> JSONValue {
        var document: [(String, JSONValue)] = [("name", .string(name))]
        if let source { document.append(("source", .string(source))) }
        document.append(("cookies", .array(entries.map(\.jsonValue))))
        return .object(document)
    }
}

extension CharterEntry {
    /// The registry form of this entry; defaults (`observable: header`) are left out.
    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name.text))]
        if let provider { members.append(("provider", .string(provider))) }
        if let service { members.append(("service", .string(service))) }
        if let purpose { members.append(("purpose", .string(purpose))) }
        members.append(("category", .string(category.rawValue)))
        if let duration { members.append(("duration", .string(duration.text))) }
        if observable != .header { members.append(("observable", .string(observable.rawValue))) }
        if let domain { members.append(("domain", .string(domain))) }
        if let expect {
            var fields: [(String, JSONValue)] = []
            if let secure = expect.secure { fields.append(("secure", .bool(secure))) }
            if let httpOnly = expect.httpOnly { fields.append(("httpOnly", .bool(httpOnly))) }
            if let sameSite = expect.sameSite { fields.append(("sameSite", .string(sameSite.rawValue))) }
            members.append(("expect", .object(fields)))
        }
        if consentExempt { members.append(("consentExempt", .bool(true))) }
        return .object(members)
    }
}
