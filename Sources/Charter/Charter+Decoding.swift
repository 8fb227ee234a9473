import CookieModel
import StrictJSON

extension Charter {
    /// The keys a charter document may have.
    static let documentKeys = ["name", "source", "cookies"]
    /// The keys an entry may have.
    static let entryKeys = [
        "name", "provider", "service", "purpose", "category", "duration", "observable", "domain", "expect",
        "consentExempt",
    ]
    /// The keys of an entry's `expect`.
    static let expectKeys = ["secure", "httpOnly", "sameSite"]

    /// Reads a registry document strictly: unknown keys, wrong types, unreadable durations, invalid
    /// or duplicate names are all reported, each with the file, key path and position.
    public init(decoding bytes: [UInt8], file: String) throws(ValidationErrors) {
        let root = try JSONReader.read(bytes, file: file)
        var diagnostics = Diagnostics(file: file)
        let decoded = Self.decode(root, &diagnostics)
        guard let decoded, diagnostics.isEmpty else { throw ValidationErrors(diagnostics.errors) }
        self = decoded
    }

    private static func decode(_ root: JSONNode, _ diagnostics: inout Diagnostics) -> Charter? {
        guard let document = JSONObject(root, keys: documentKeys, required: ["name", "cookies"], &diagnostics) else {
            return nil
        }
        let name = document["name"]?.nonEmptyString(&diagnostics)
        let source = document["source"]?.string(&diagnostics)
        var entries: [CharterEntry] = []
        var firstIndex: [String: Int] = [:]
        for node in document["cookies"]?.array(&diagnostics) ?? [] {
            guard let entry = decodeEntry(node, &diagnostics) else { continue }
            guard case .index(let index) = node.path.lastComponent else { continue }
            if let first = firstIndex[entry.name.text] {
                diagnostics.report(
                    "duplicate entry \(JSONValue.quoted(entry.name.text)), first at cookies[\(first)]",
                    path: node.path.appending("name"), position: JSONObject.position(of: "name", in: node))
                continue
            }
            firstIndex[entry.name.text] = index
            entries.append(entry)
        }
        guard let name else { return nil }
        return Charter(
            name: name, source: source, entries: entries, digest: ContentDigest.of(root.value), file: diagnostics.file)
    }

    private static func decodeEntry(_ node: JSONNode, _ diagnostics: inout Diagnostics) -> CharterEntry? {
        guard let object = JSONObject(node, keys: entryKeys, required: ["name", "category"], &diagnostics) else {
            return nil
        }
        var pattern: NamePattern?
        if let nameNode = object["name"], let text = nameNode.string(&diagnostics) {
            do {
                pattern = try NamePattern(parsing: text)
            } catch {
                diagnostics.report("\(error), got \(nameNode.value.shortDescription)", at: nameNode)
            }
        }
        let category = object["category"]?.oneOf(CookieCategory.self, &diagnostics)
        let observable = object["observable"].map { $0.oneOf(Observability.self, &diagnostics) } ?? .header
        var duration: DeclaredDuration?
        if let durationNode = object["duration"], let text = durationNode.string(&diagnostics) {
            duration = DeclaredDuration(parsing: text)
            if duration == nil {
                let entryName = pattern.map { " of entry \(JSONValue.quoted($0.text))" } ?? ""
                diagnostics.report(
                    "cannot read the duration \(JSONValue.quoted(text))\(entryName); "
                        + "write e.g. \"session\", \"2 weeks\", \"13 mois\", \"Up to 12 months\"",
                    at: durationNode)
            }
        }
        let domain = object["domain"].flatMap { decodeDomain($0, &diagnostics) }
        let expect = object["expect"].flatMap { decodeExpectation($0, &diagnostics) }
        let provider = object["provider"]?.string(&diagnostics)
        let service = object["service"]?.string(&diagnostics)
        let purpose = object["purpose"]?.string(&diagnostics)
        let consentExempt = object["consentExempt"].map { $0.bool(&diagnostics) } ?? false
        guard let pattern, let category, let observable, let consentExempt else { return nil }
        return CharterEntry(
            name: pattern, provider: provider, service: service, purpose: purpose, category: category,
            duration: duration, observable: observable, domain: domain, expect: expect, consentExempt: consentExempt)
    }

    private static func decodeDomain(_ node: JSONNode, _ diagnostics: inout Diagnostics) -> String? {
        guard let text = node.string(&diagnostics) else { return nil }
        guard let host = CharterEntry.domain(parsing: text) else {
            diagnostics.report(
                "expected a host name such as \"example.org\", got \(node.value.shortDescription)", at: node)
            return nil
        }
        return host
    }

    private static func decodeExpectation(_ node: JSONNode, _ diagnostics: inout Diagnostics) -> AttributeExpectation? {
        guard let object = JSONObject(node, keys: expectKeys, &diagnostics) else { return nil }
        return AttributeExpectation(
            secure: object["secure"]?.bool(&diagnostics),
            httpOnly: object["httpOnly"]?.bool(&diagnostics),
            sameSite: object["sameSite"]?.oneOf(SameSite.self, &diagnostics))
    }
}
