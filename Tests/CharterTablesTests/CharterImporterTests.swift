import Charter
import CharterTables
import StrictJSON
import Testing

@Suite("Importing published charters")
struct CharterImporterTests {
    static func summary(_ result: CharterImport) -> [String] {
        result.entries.map { entry in
            [entry.name, entry.category?.rawValue ?? "-", entry.duration ?? "-", entry.provider ?? "-"].joined(
                separator: " | ")
        }
    }

    @Test("the seed gives its five entries, _BEAMER* as a pattern, all in the section's category")
    func seed() throws {
        let result = CharterImporter.importCharter(try Fixtures.seed(), format: .text)
        #expect(result.name == "Charte cookies")
        #expect(
            result.entries.map(\.name) == [
                "sessionid", "django_language", "csrftoken", "cookies_preferences", "_BEAMER*",
            ])
        #expect(result.entries.allSatisfy { $0.category == .necessary })
        #expect(result.entries.first?.service == "Authentification (front et back office)")
        #expect(
            result.entries.last?.purpose == "Recevoir des notifications sur les nouveautés produit dans l'interface")
        #expect(result.diagnostics.isEmpty)
        #expect(try NamePattern(parsing: result.entries[4].name).isExact == false)
    }

    @Test("an English Markdown charter: multi-name cells, phrases and placeholders as patterns, every bad row reported")
    func englishMarkdown() throws {
        let result = CharterImporter.importCharter(try Fixtures.bytes("analytics-en.md"), format: .text)
        #expect(result.name == "Example Shop cookie policy")
        #expect(
            Self.summary(result) == [
                "shop_session | necessary | Session | Example Shop",
                "csrf_token | necessary | 1 year | Example Shop",
                "_hjSessionUser | statistics | 365 days | Hotjar",
                "_hjid | statistics | 365 days | Hotjar",
                "_hs* | statistics | 13 months | HubSpot",
                "_ga_* | statistics | 2 years | Google",
                "_gid | statistics | forever and a day | Google",
                "_fbp | marketing | 3 months | Meta",
            ])
        #expect(
            result.diagnostics.map(\.description) == [
                "line 19: duration \"forever and a day\" is not understood; kept as written, to be fixed before use",
                "line 20: row has no cookie name; skipped",
                "line 21: cannot read cookie name \"bad name\": cookie names cannot contain a space",
                "line 28: cookie \"_fbp\" is already declared on line 27; skipped",
            ])
    }

    @Test("a French Markdown charter: categories from French headings, French durations")
    func frenchMarkdown() throws {
        let result = CharterImporter.importCharter(try Fixtures.bytes("charte-fr.md"), format: .text)
        #expect(
            Self.summary(result) == [
                "_pk_id.* | statistics | 13 mois | Matomo",
                "_pk_ses.* | statistics | 30 minutes | Matomo",
                "langue | preferences | jusqu'à 12 mois | Mairie",
                "theme | preferences | 1 an | Mairie",
                "contraste | preferences | 1 an | Mairie",
                "ads_* | marketing | 2 semaines par défaut | Régie",
            ])
        #expect(result.diagnostics.isEmpty)
    }

    @Test("an HTML page read with libxml2: headings, captions, <br> lists and a Category column")
    func html() throws {
        let bytes = try Fixtures.bytes("cookies.html")
        #expect(CharterImporter.Format.detect(fileName: "cookies.html", bytes: bytes) == .html)
        #expect(CharterImporter.Format.detect(fileName: "page", bytes: Array("  <table>".utf8)) == .html)
        let result = CharterImporter.importCharter(bytes, format: .html)
        #expect(result.name == "Cookie list of Example Media")
        #expect(
            Self.summary(result) == [
                "media_session | necessary | Session | Example Media",
                "__Host-csrf | necessary | 24 heures | Example Media",
                "__Host-xsrf | necessary | 24 heures | Example Media",
                "_BEAMER* | marketing | Up to 12 months | Beamer",
                "IDE | marketing | about a year | Google",
                "_ga | statistics | 2 years | -",
                "*_track | marketing | 30 days | -",
                "_hs* | statistics | 13 months | -",
            ])
        #expect(
            result.diagnostics.map(\.description) == [
                "line 20: duration \"about a year\" is not understood; kept as written, to be fixed before use",
                "line 21: row has 5 cells but the header has 4; skipped",
            ])
    }

    @Test("an HTML page that declares another charset is decoded as it says")
    func declaredCharset() throws {
        let result = CharterImporter.importCharter(try Fixtures.bytes("latin1.html"), format: .html)
        #expect(result.entries.map(\.purpose) == ["Séance"])
        #expect(result.entries.map(\.category) == [.necessary])
    }

    @Test("rows outside a table and lines without cells inside one are reported, never dropped silently")
    func strayLines() throws {
        let result = CharterImporter.importCharter(try Fixtures.bytes("no-header.txt"), format: .text)
        #expect(Self.summary(result) == ["sessionid | necessary | 2 semaines | -", "cache_id | necessary | - | -"])
        #expect(
            result.diagnostics.map(\.description) == [
                "line 3: tab-separated row without a header row naming a cookie name column above it; skipped",
                "line 9: not a table row (no tab-separated cells) inside a table; skipped",
            ])
    }

    @Test("a Markdown table without outer pipes, as the issue writes its headers")
    func barePipes() {
        let text = """
            ## Marketing

            Supplier name | Cookie name | Duration | Function
            --- | --- | --- | ---
            Criteo | cto_bundle | 13 months | Retargeting
            LinkedIn | li_sugr, bcookie | 3 months | Ads \\| insights

            After the table.
            """
        let result = CharterImporter.importCharter(Array(text.utf8), format: .text)
        #expect(
            Self.summary(result) == [
                "cto_bundle | marketing | 13 months | Criteo",
                "li_sugr | marketing | 3 months | LinkedIn",
                "bcookie | marketing | 3 months | LinkedIn",
            ])
        #expect(result.entries.last?.purpose == "Ads | insights")
        #expect(result.diagnostics.isEmpty)
    }

    @Test("a pipe table missing its | --- | line still reads, and says so; a stray one is not a cookie")
    func missingSeparator() {
        let text = "## Necessary\n| Cookie name | Duration |\n| sid | session |\n|---|---|\n| csrf | 1 year |\n"
        let result = CharterImporter.importCharter(Array(text.utf8), format: .text)
        #expect(Self.summary(result) == ["sid | necessary | session | -", "csrf | necessary | 1 year | -"])
        #expect(
            result.diagnostics.map(\.description) == [
                "line 3: expected the | --- | line under the table header; read as a row"
            ])
    }

    @Test("a document without any usable table says so, and entries without a category are flagged")
    func noTable() {
        let empty = CharterImporter.importCharter(Array("Just prose.\n".utf8), format: .text)
        #expect(empty.entries.isEmpty)
        #expect(
            empty.diagnostics.map(\.description) == [
                "line 1: no table with a cookie name column (e.g. \"Cookie name\", \"Nom du cookie\") found"
            ])
        let uncategorised = CharterImporter.importCharter(
            Array("| Cookie | Purpose |\n|--|--|\n| a | b |\n".utf8), format: .text)
        #expect(uncategorised.entries.map(\.name) == ["a"])
        #expect(
            uncategorised.diagnostics.map(\.description) == [
                "line 3: no category: no heading above the table or Category cell names one; entry written without one"
            ])
    }

    @Test(
        "an exported charter imports back to the same entries (tables carry no attribute expectations)",
        arguments: CharterExporter.Format.allCases)
    func roundTrip(format: CharterExporter.Format) throws {
        let shipped = try Charter(
            decoding: try Fixtures.shipped("charters/opendatasoft.json"), file: "opendatasoft.json")
        #expect(shipped.entries.contains { $0.expect != nil })
        let charter = Charter(
            name: shipped.name, source: shipped.source,
            entries: shipped.entries.map { entry in
                var entry = entry
                entry.expect = nil
                return entry
            })
        let exported = CharterExporter.export(charter, format: format)
        let result = CharterImporter.importCharter(
            Array(exported.utf8), format: format == .html ? .html : .text, name: charter.name)
        #expect(result.diagnostics.isEmpty)
        let reread = try Charter(decoding: Array(JSONWriter.pretty(result.jsonValue).utf8), file: "again.json")
        #expect(reread.entries == charter.entries)
        #expect(reread.identity == charter.identity)
    }

    @Test("export groups entries by category with escaped cells")
    func exportGrouping() throws {
        let text = """
            {"name": "Mixed <&>", "cookies": [
              {"name": "ad", "category": "marketing", "purpose": "a | b"},
              {"name": "sid", "category": "necessary", "domain": ".Example.org"}]}
            """
        let charter = try Charter(decoding: Array(text.utf8), file: "m.json")
        let markdown = CharterExporter.export(charter, format: .md)
        #expect(markdown.contains("## Necessary\n\n| Cookie name |"))
        #expect(
            markdown.range(of: "## Necessary")?.lowerBound ?? markdown.endIndex < markdown.range(of: "## Marketing")?
                .lowerBound ?? markdown.startIndex)
        #expect(markdown.contains("| `ad` |  |  | a \\| b |  | response header |  |"))
        #expect(markdown.contains("| `sid` |  |  |  |  | response header | example.org |"))
        #expect(CharterExporter.export(charter, format: .html).contains("<h1>Mixed &lt;&amp;&gt;</h1>"))
        let reimported = CharterImporter.importCharter(Array(markdown.utf8), format: .text)
        #expect(reimported.entries.map(\.domain) == ["example.org", nil])
        #expect(reimported.diagnostics.isEmpty)
    }
}
