import Charter
import Testing

@Suite("Matching cookie names against charters")
struct CharterSetTests {
    static func charter(_ name: String, _ patterns: [String]) throws -> Charter {
        Charter(
            name: name,
            entries: try patterns.map { CharterEntry(name: try NamePattern(parsing: $0), category: .statistics) },
            digest: "d-\(name)")
    }

    static func describe(_ match: CharterMatch) -> String {
        switch match {
        case .exact(let hit): return "exact \(hit.entry.name)"
        case .pattern(let hit): return "pattern \(hit.entry.name)"
        case .ambiguous(let hits):
            return "ambiguous " + hits.map { "\($0.charter.name):\($0.entry.name)" }.joined(separator: ",")
        case .none: return "none"
        }
    }

    @Test(
        "exact names, globs anywhere in the name, and ambiguity",
        arguments: [
            ("sessionid", "exact sessionid"),
            ("_BEAMER_USER_ID", "pattern _BEAMER*"),
            ("_BEAMER", "pattern _BEAMER*"),
            ("_beamer_x", "none"),
            ("app_session", "pattern *_session"),
            ("_ga_ABC123", "pattern _ga_*"),
            ("_ga", "exact _ga"),
            ("_hs_track_id", "ambiguous a:_hs*,a:*track*"),
            ("px_track", "pattern *track*"),
            ("a_b_c", "pattern a*b*c"),
            ("ac", "none"),
            ("abc", "pattern a*b*c"),
            ("sessionid2", "none"),
            ("", "none"),
        ])
    func singleCharter(name: String, expected: String) throws {
        let charters = CharterSet([
            try Self.charter("a", ["sessionid", "_BEAMER*", "*_session", "_ga_*", "_ga", "_hs*", "*track*", "a*b*c"])
        ])
        #expect(Self.describe(charters.match(cookieName: name)) == expected)
    }

    @Test("an exact entry beats any pattern, even in another charter")
    func exactBeatsPattern() throws {
        let charters = CharterSet([try Self.charter("shared", ["_ga*"]), try Self.charter("site", ["_ga"])])
        let match = charters.match(cookieName: "_ga")
        #expect(Self.describe(match) == "exact _ga")
        #expect(match.matched?.charter == CharterIdentity(name: "site", digest: "d-site"))
    }

    @Test("two charters declaring the same exact name make it ambiguous, in charter order")
    func exactInTwoCharters() throws {
        let charters = CharterSet([try Self.charter("one", ["sid"]), try Self.charter("two", ["sid"])])
        #expect(Self.describe(charters.match(cookieName: "sid")) == "ambiguous one:sid,two:sid")
    }

    @Test("a match carries the entry's declared lifetime, category and observability")
    func matchCarriesEntry() throws {
        let entry = CharterEntry(
            name: try NamePattern(parsing: "sessionid"), provider: "Opendatasoft", category: .necessary,
            duration: DeclaredDuration(parsing: "2 weeks"), observable: .afterLogin)
        let charters = CharterSet([Charter(name: "od", entries: [entry], digest: "x")])
        let found = charters.match(cookieName: "sessionid").entry
        #expect(found?.declaredLifetime == 14 * 86_400)
        #expect(found?.category == .necessary)
        #expect(found?.observable == .afterLogin)
        #expect(charters.entryCount == 1)
    }

    @Test("thousands of prefix and suffix patterns still find the one that fits")
    func manyPatterns() throws {
        var patterns: [String] = []
        for index in 0..<2_000 { patterns += ["p\(index)_*", "*_s\(index)", "exact\(index)"] }
        let charters = CharterSet([try Self.charter("big", patterns)])
        #expect(Self.describe(charters.match(cookieName: "p1999_x")) == "pattern p1999_*")
        #expect(Self.describe(charters.match(cookieName: "x_s42")) == "pattern *_s42")
        #expect(Self.describe(charters.match(cookieName: "p7_x_s7")) == "ambiguous big:p7_*,big:*_s7")
        #expect(Self.describe(charters.match(cookieName: "exact5")) == "exact exact5")
        #expect(Self.describe(charters.match(cookieName: "q1")) == "none")
    }

    @Test(
        "names that cannot be charter entries",
        arguments: [
            ("", "empty cookie name"),
            ("*", "a pattern of only '*' would match every cookie; give at least one literal character"),
            ("***", "a pattern of only '*' would match every cookie; give at least one literal character"),
            ("a b", "cookie names cannot contain a space"),
            ("a;b", "cookie names cannot contain ';'"),
            ("a=b", "cookie names cannot contain '='"),
            ("a\tb", "cookie names cannot contain U+9"),
        ])
    func invalidNames(text: String, message: String) {
        #expect(throws: NamePattern.Problem.self) { try NamePattern(parsing: text) }
        do throws(NamePattern.Problem) {
            _ = try NamePattern(parsing: text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("a charter built in code gets the digest of its registry document")
    func builtDigest() throws {
        let entry = CharterEntry(name: try NamePattern(parsing: "sid"), category: .necessary)
        let built = Charter(name: "c", entries: [entry])
        let decoded = try Charter(
            decoding: Array("{\"cookies\": [{\"category\": \"necessary\", \"name\": \"sid\"}], \"name\": \"c\"}".utf8),
            file: "c.json")
        #expect(built.identity == decoded.identity)
    }

    @Test("runs of '*' collapse to one")
    func collapsedStars() throws {
        #expect(try NamePattern(parsing: "_ga**").text == "_ga*")
    }
}
