import Charter
import Foundation
import StrictJSON
import Testing

@Suite("Reading charter registries")
struct CharterDecodingTests {
    static func errors(_ text: String) -> [String] {
        do {
            _ = try Charter(decoding: Array(text.utf8), file: "c.json")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test("the shipped Opendatasoft charter reads with its durations, patterns and observability")
    func shippedCharter() throws {
        let charter = try Charter(
            decoding: try Fixtures.shipped("charters/opendatasoft.json"), file: "charters/opendatasoft.json")
        #expect(charter.name == "Opendatasoft platform")
        #expect(
            charter.entries.map(\.name.text) == [
                "sessionid", "django_language", "csrftoken", "cookies_preferences", "_BEAMER*",
            ])
        #expect(
            charter.entries.map(\.declaredLifetime) == [
                14 * 86_400, 12 * CalendarConvention.month, 12 * CalendarConvention.month, 6 * CalendarConvention.month,
                nil,
            ])
        #expect(charter.entries.map(\.observable) == [.afterLogin, .header, .header, .script, .script])
        #expect(
            charter.entries.map(\.provider) == [
                "Opendatasoft", "Opendatasoft", "Opendatasoft", "Opendatasoft", "Beamer",
            ])
        #expect(charter.identity.digest.count == 16)
        let matches = CharterSet([charter])
        #expect(matches.match(cookieName: "_BEAMER_FIRST_VISIT").entry?.provider == "Beamer")
    }

    @Test("a full entry with expectations and domain reads back as written")
    func fullEntry() throws {
        let text = """
            {"name": "x", "source": "https://example.org/cookies", "cookies": [
              {"name": "sid", "provider": "P", "service": "S", "purpose": "U", "category": "necessary",
               "duration": "session", "observable": "consent", "domain": ".Example.org",
               "expect": {"secure": true, "httpOnly": false, "sameSite": "lax"}, "consentExempt": true}]}
            """
        let charter = try Charter(decoding: Array(text.utf8), file: "c.json")
        let entry = try #require(charter.entries.first)
        #expect(entry.consentExempt)
        #expect(entry.duration?.lifetime == .session)
        #expect(entry.domain == "example.org")
        #expect(entry.expect == AttributeExpectation(secure: true, httpOnly: false, sameSite: .lax))
        #expect(entry.observable == .consent)
        #expect(charter.source == "https://example.org/cookies")
        let rewritten = try Charter(decoding: Array(JSONWriter.pretty(charter.jsonValue).utf8), file: "again.json")
        #expect(rewritten.entries == charter.entries)
    }

    @Test(
        "bad charters give exact errors",
        arguments: [
            ("[]", "c.json: expected an object, got an array (line 1, column 1)"),
            (
                "{\"name\": \"x\", \"cookies\": [{\"name\": \"a\", \"category\": \"statistics\", \"consentExempt\": \"yes\"}]}",
                "c.json: cookies[0].consentExempt: expected true or false, got \"yes\" (line 1, column 84)"
            ),
            ("{\"cookies\": []}", "c.json: missing required key \"name\" (line 1, column 1)"),
            (
                "{\"name\": \"\", \"cookies\": []}",
                "c.json: name: expected a non-empty string, got \"\" (line 1, column 10)"
            ),
            (
                "{\"name\": \"x\", \"cookies\": {}}",
                "c.json: cookies: expected an array, got an object (line 1, column 26)"
            ),
            (
                "{\"name\": \"x\", \"cookies\": [], \"version\": 2}",
                "c.json: version: unknown key, expected one of name, source, cookies (line 1, column 30)"
            ),
            (
                "{\"name\": \"x\", \"cookies\": [{\"name\": \"a\"}]}",
                "c.json: cookies[0]: missing required key \"category\" (line 1, column 27)"
            ),
            (
                "{\"name\": \"x\", \"cookies\": [{\"name\": \"a\", \"category\": \"essential\"}]}",
                "c.json: cookies[0].category: expected one of necessary, preferences, statistics, marketing, got \"essential\" (line 1, column 53)"
            ),
            (
                "{\"name\": \"x\", \"cookies\": [{\"name\": \"a\", \"category\": \"necessary\", \"observable\": \"js\"}]}",
                "c.json: cookies[0].observable: expected one of header, after-login, script, consent, got \"js\" (line 1, column 80)"
            ),
            (
                "{\"name\": \"x\", \"cookies\": [{\"name\": \"a\", \"category\": \"necessary\", \"expect\": {\"secure\": \"yes\"}}]}",
                "c.json: cookies[0].expect.secure: expected true or false, got \"yes\" (line 1, column 87)"
            ),
            (
                "{\"name\": \"x\", \"cookies\": [{\"name\": \"a\", \"category\": \"necessary\", \"expect\": {\"sameSite\": \"relaxed\"}}]}",
                "c.json: cookies[0].expect.sameSite: expected one of strict, lax, none, default, got \"relaxed\" (line 1, column 89)"
            ),
            (
                "{\"name\": \"x\", \"cookies\": [{\"name\": \"a\", \"category\": \"necessary\", \"domain\": \"https://x.org\"}]}",
                "c.json: cookies[0].domain: expected a host name such as \"example.org\", got \"https://x.org\" (line 1, column 76)"
            ),
            (
                "{\"name\": \"x\", \"cookies\": [{\"name\": 7, \"category\": \"necessary\"}]}",
                "c.json: cookies[0].name: expected a string, got 7 (line 1, column 36)"
            ),
            (
                "{\"name\": \"x\", \"cookies\": [{\"name\": \"a\", \"category\": \"necessary\", \"lifetime\": \"1d\"}]}",
                "c.json: cookies[0].lifetime: unknown key, expected one of name, provider, service, purpose, category, duration, observable, domain, expect, consentExempt (line 1, column 66)"
            ),
        ])
    func badCharter(text: String, message: String) {
        #expect(Self.errors(text) == [message])
    }

    @Test("every problem of a charter is reported at once")
    func everyProblem() {
        let text = """
            {"name": "x", "cookies": [
              {"name": "", "category": "necessary"},
              {"name": "*", "category": "necessary"},
              {"name": "sid", "category": "necessary", "duration": "forever"},
              {"name": "sid", "category": "marketing"}
            ]}
            """
        #expect(
            Self.errors(text) == [
                "c.json: cookies[0].name: empty cookie name, got \"\" (line 2, column 12)",
                "c.json: cookies[1].name: a pattern of only '*' would match every cookie; give at least one literal character, got \"*\" (line 3, column 12)",
                "c.json: cookies[2].duration: cannot read the duration \"forever\" of entry \"sid\"; write e.g. \"session\", \"2 weeks\", \"13 mois\", \"Up to 12 months\" (line 4, column 56)",
                "c.json: cookies[3].name: duplicate entry \"sid\", first at cookies[2] (line 5, column 12)",
            ])
    }

    @Test("the content digest ignores layout and key order but not content")
    func digest() throws {
        let compact = try JSONReader.parse(Array("{\"name\":\"a\",\"cookies\":[]}".utf8))
        let spaced = try JSONReader.parse(Array("{\n  \"cookies\": [ ],\n  \"name\": \"a\"\n}\n".utf8))
        let other = try JSONReader.parse(Array("{\"name\":\"b\",\"cookies\":[]}".utf8))
        #expect(ContentDigest.of(compact) == ContentDigest.of(spaced))
        #expect(ContentDigest.of(compact) != ContentDigest.of(other))
        #expect(ContentDigest.of(bytes: []) == "cbf29ce484222325")
        #expect(ContentDigest.of(bytes: Array("a".utf8)) == "af63dc4c8601ec8c")
    }
}
