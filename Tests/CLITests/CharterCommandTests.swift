import Foundation
import ProcessTestSupport
import Testing

@Suite("cookiewatch check-config and charter, run as a process")
struct CharterCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let seed = root.appendingPathComponent("charters/published/opendatasoft-charte-cookies.txt").path

    static func temporaryFile(_ name: String, _ text: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file
    }

    @Test("--version says the version and the commit it was built from")
    func version() async throws {
        let r = try await ChildProcess.run(["--version"])
        #expect(r.status == 0)
        // A plain `swift build` does not say the commit; scripts/package and `make build` do.
        #expect(r.stdout.hasPrefix("0.5.0 (commit ") && r.stdout.hasSuffix(")\n"), "\(r.stdout)")
    }

    @Test("check-config on the example exits 0 with its summary")
    func exampleConfig() async throws {
        let config = Self.root.appendingPathComponent("config.example.json").path
        let r = try await ChildProcess.run(["check-config", "--config", config])
        #expect(r.status == 0)
        #expect(r.stdout == "1 site, 3 pages, 5 variants, 5 charter entries\n")
        #expect(r.stderr.isEmpty)
    }

    @Test("check-config prints every error and exits 2")
    func badConfig() async throws {
        let file = try Self.temporaryFile(
            "config.json",
            """
            {"sites": [{"name": "s", "charters": ["missing.json"],
              "pages": [{"url": "ftp://x"}]}], "limit": {}}
            """)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let r = try await ChildProcess.run(["check-config", "--config", file.path])
        #expect(r.status == 2)
        let directory = file.deletingLastPathComponent().path
        #expect(
            r.stderr == """
                \(file.path): sites[0].charters[0]: charter file "missing.json" (resolved to "\(directory)/missing.json") does not exist (line 1, column 39)
                \(file.path): sites[0].pages[0].url: expected an http or https URL, got "ftp://x" (line 2, column 21)
                \(file.path): limit: unknown key, expected one of sites, schedule, limits, policy, alerts, stateDirectory, logsDirectory, allowedPrivateNetworks, historyRetention, resolve, browser, metrics (line 2, column 36)

                """)
        #expect(r.stdout.isEmpty)
    }

    @Test("check-config on a missing file exits 2 naming it")
    func missingConfig() async throws {
        let r = try await ChildProcess.run(["check-config", "--config", "/nonexistent/config.json"])
        #expect(r.status == 2)
        #expect(r.stderr == "/nonexistent/config.json: config file does not exist\n")
    }

    @Test("charter import of the seed gives its five entries, _BEAMER* as a pattern, in the section's category")
    func importSeed() async throws {
        let r = try await ChildProcess.run(["charter", "import", Self.seed])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let cookies = try #require(object["cookies"] as? [[String: Any]])
        #expect(
            cookies.compactMap { $0["name"] as? String } == [
                "sessionid", "django_language", "csrftoken", "cookies_preferences", "_BEAMER*",
            ])
        #expect(cookies.allSatisfy { $0["category"] as? String == "necessary" })
    }

    @Test("charter import reports unusable rows on stderr as FILE:LINE: reason")
    func importReports() async throws {
        let fixture = Self.root.appendingPathComponent("Tests/CharterTablesTests/Fixtures/no-header.txt").path
        let r = try await ChildProcess.run(["charter", "import", fixture, "--name", "Stray"])
        #expect(r.status == 0)
        #expect(
            r.stderr == """
                \(fixture):3: tab-separated row without a header row naming a cookie name column above it; skipped
                \(fixture):9: not a table row (no tab-separated cells) inside a table; skipped

                """)
        #expect(r.stdout.hasPrefix("{\n  \"name\": \"Stray\",\n  \"cookies\": ["))
    }

    @Test("charter import of a file without entries, or of no file, exits 2")
    func importNothing() async throws {
        let empty = try Self.temporaryFile("prose.txt", "Only prose here.\n")
        defer { try? FileManager.default.removeItem(at: empty.deletingLastPathComponent()) }
        let r = try await ChildProcess.run(["charter", "import", empty.path])
        #expect(r.status == 2)
        #expect(r.stderr.hasSuffix("cookiewatch: \(empty.path): no charter entry could be read\n"))
        let missing = try await ChildProcess.run(["charter", "import", "/nonexistent.md"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "cookiewatch: /nonexistent.md: file does not exist\n")
    }

    @Test("charter export prints tables per category; a bad charter exits 2 with its errors")
    func export() async throws {
        let shipped = Self.root.appendingPathComponent("charters/opendatasoft.json").path
        let markdown = try await ChildProcess.run(["charter", "export", shipped, "--format", "md"])
        #expect(markdown.status == 0)
        #expect(markdown.stdout.hasPrefix("# Opendatasoft platform\n\n## Necessary\n\n| Cookie name | Provider |"))
        let html = try await ChildProcess.run(["charter", "export", shipped, "--format", "html"])
        #expect(html.stdout.contains("<tr><td><code>_BEAMER*</code></td><td>Beamer</td>"))
        let bad = try Self.temporaryFile(
            "bad.json", "{\"name\": \"b\", \"cookies\": [{\"name\": \"*\", \"category\": \"necessary\"}]}")
        defer { try? FileManager.default.removeItem(at: bad.deletingLastPathComponent()) }
        let r = try await ChildProcess.run(["charter", "export", bad.path])
        #expect(r.status == 2)
        #expect(
            r.stderr
                == "\(bad.path): cookies[0].name: a pattern of only '*' would match every cookie; give at least one literal character, got \"*\" (line 1, column 36)\n"
        )
    }
}
