import Audit
import CookieModel
import Foundation
import StrictJSON

/// `PageState` read from the strict reader's values, not through JSONDecoder: page states are nearly
/// all of a large state (100,000 of them are 134 MB), and JSONDecoder over them was most of the
/// daemon's start. As strict as JSONDecoder followed by the unknown-key check: every type checked,
/// every key known (an unknown one is refused unless its value is null), none repeated; a problem
/// names the key path and the place in the file.
enum PageStateReading {
    struct Problem: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var position: SourcePosition?

        var description: String {
            (path.isEmpty ? "" : "\(path): ") + reason + (position.map { " (\($0))" } ?? "")
        }
    }

    static func page(_ value: JSONValue, at path: String) throws(Problem) -> PageState {
        let object = try Fields(value, at: path, known: Self.pageKeys)
        var cookies: [HistoryCookie]?
        if let list = try object.optional("lastCookies") {
            guard case .array(let elements) = list.kind else {
                throw object.problem("lastCookies", "expected an array", list)
            }
            var read: [HistoryCookie] = []
            read.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                read.append(try cookie(element, at: "\(path).lastCookies[\(index)]"))
            }
            cookies = read
        }
        let ref = try Fields(try object.required("page"), at: path + ".page", known: ["url", "variant"])
        var due: Date?
        if let text = try object.optional("nextDue") {
            let string = try object.string("nextDue", text)
            guard let seconds = CivilTimeText.parse(string) else {
                throw object.problem("nextDue", "expected an RFC 3339 time, got \"\(string)\"", text)
            }
            due = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return PageState(
            site: try object.string("site"),
            page: PageRef(url: try ref.string("url"), variant: try ref.string("variant")),
            lastDigest: try object.optional("lastDigest").map { value throws(Problem) in
                try object.string("lastDigest", value)
            },
            lastCookies: cookies, consecutiveFailures: try object.integer("consecutiveFailures"), nextDue: due)
    }

    /// A history cookie as `HistoryCookie.write` lays it out: identity, attributes and value facts flat.
    static func cookie(_ value: JSONValue, at path: String) throws(Problem) -> HistoryCookie {
        let object = try Fields(value, at: path, known: Self.cookieKeys)
        let sameSiteValue = try object.required("sameSite")
        let sameSiteText = try object.string("sameSite", sameSiteValue)
        guard let sameSite = SameSite(rawValue: sameSiteText) else {
            throw object.problem("sameSite", "\"\(sameSiteText)\" is not strict, lax, none or default", sameSiteValue)
        }
        // `lifetime` is written as null for a session cookie, never left out (as JSONDecoder required).
        let lifetimeValue = try object.required("lifetime")
        let lifetime: Int64? =
            lifetimeValue.isNull ? nil : Int64(try object.integer("lifetime", lifetimeValue))
        let shape = try object.string("valueShape")
        return HistoryCookie(
            name: try object.string("name"), domain: try object.string("domain"), hostOnly: try object.bool("hostOnly"),
            path: try object.string("path"),
            attributes: CookieAttributes(
                secure: try object.bool("secure"), httpOnly: try object.bool("httpOnly"), sameSite: sameSite,
                partitioned: try object.bool("partitioned"), lifetime: lifetime, setBy: try object.string("setBy"),
                valueShape: shape),
            valueLength: try object.integer("valueLength"), valueShape: shape,
            valueFingerprint: try object.string("valueFingerprint"))
    }

    static let pageKeys: Set<String> = [
        "site", "page", "lastDigest", "lastCookies", "consecutiveFailures", "nextDue",
    ]
    static let cookieKeys: Set<String> = [
        "name", "domain", "hostOnly", "path", "secure", "httpOnly", "sameSite", "partitioned", "lifetime", "setBy",
        "valueShape", "valueLength", "valueFingerprint",
    ]

    /// The members of one object, checked against its known keys.
    struct Fields {
        let members: [JSONValue.Member]
        let path: String
        let position: SourcePosition?

        init(_ value: JSONValue, at path: String, known: Set<String>) throws(Problem) {
            guard case .object(let members) = value.kind else {
                throw Problem(path: path, reason: "expected an object", position: value.position)
            }
            for (index, member) in members.enumerated() {
                guard known.contains(member.key) else {
                    if member.value.isNull { continue }
                    throw Problem(
                        path: Self.child(path, member.key), reason: "unknown key",
                        position: member.keyPosition ?? member.value.position)
                }
                if members[..<index].contains(where: { $0.key == member.key }) {
                    throw Problem(
                        path: Self.child(path, member.key), reason: "repeated key",
                        position: member.keyPosition ?? member.value.position)
                }
            }
            self.members = members
            self.path = path
            position = value.position
        }

        static func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

        func problem(_ key: String, _ reason: String, _ value: JSONValue?) -> Problem {
            Problem(path: Self.child(path, key), reason: reason, position: value?.position ?? position)
        }

        /// The value of `key`, or nil when it is missing or null.
        func optional(_ key: String) throws(Problem) -> JSONValue? {
            guard let value = members.first(where: { $0.key == key })?.value, !value.isNull else { return nil }
            return value
        }

        func required(_ key: String) throws(Problem) -> JSONValue {
            guard let value = members.first(where: { $0.key == key })?.value else {
                throw Problem(path: path, reason: "missing key \"\(key)\"", position: position)
            }
            return value
        }

        /// `given` (a value already looked up), else the value of `key`, which must be there.
        func value(_ key: String, _ given: JSONValue?) throws(Problem) -> JSONValue {
            if let given { return given }
            return try required(key)
        }

        func string(_ key: String, _ given: JSONValue? = nil) throws(Problem) -> String {
            let value = try value(key, given)
            guard let text = value.stringValue else { throw problem(key, "expected a string", value) }
            return text
        }

        func bool(_ key: String) throws(Problem) -> Bool {
            let value = try required(key)
            guard case .bool(let flag) = value.kind else { throw problem(key, "expected true or false", value) }
            return flag
        }

        func integer(_ key: String, _ given: JSONValue? = nil) throws(Problem) -> Int {
            let value = try value(key, given)
            guard case .number(let lexeme) = value.kind, let number = Int(lexeme) else {
                throw problem(key, "expected an integer", value)
            }
            return number
        }
    }
}

extension JSONValue {
    fileprivate var isNull: Bool {
        if case .null = kind { return true }
        return false
    }

    fileprivate var stringValue: String? {
        if case .string(let text) = kind { return text }
        return nil
    }
}
