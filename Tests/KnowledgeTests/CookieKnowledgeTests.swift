import Charter
import Foundation
import Testing

@testable import Knowledge

@Suite("The Open Cookie Database index")
struct CookieKnowledgeTests {
    let knowledge = CookieKnowledge.openCookieDatabase

    @Test("the compiled-in database is the shipped CSV, every row read")
    func shippedData() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../knowledge/open-cookie-database.csv")
        // The upstream file ends its lines with CRLF; a Swift literal holds LF.
        let shipped = try String(contentsOf: file, encoding: .utf8).replacing("\r\n", with: "\n")
        #expect(shipped == OpenCookieDatabase.csv, "run scripts/update-knowledge")
        #expect(knowledge.entries.count == 2_264)
        #expect(knowledge.entries.filter(\.isPrefix).count == 260)
        // Quoted fields with commas read as one.
        #expect(knowledge.lookup("atuserid").first?.retention == "13 months by default, modifiable")
    }

    @Test("an exact name: _ga is Google Analytics, statistics, two years, with its upstream id")
    func exact() throws {
        let ga = try #require(knowledge.lookup("_ga").first)
        #expect(ga.platform == "Google Analytics" && ga.category == .statistics && ga.retention == "2 years")
        #expect(ga.summary == "Google Analytics, statistics, usually 2 years")
        #expect(ga.citation == "Open Cookie Database 256c18e8-d881-11e9-8a34-2a2ae2dbcce4")
        let fbp = try #require(knowledge.lookup("_fbp").first)
        #expect(fbp.category == .marketing && fbp.domain == "facebook.com" && fbp.thirdParty)
        #expect(fbp.summary == "Facebook, marketing, usually 4 months, usually set by facebook.com (third party)")
    }

    @Test("wildcard entries match by their longest prefix")
    func prefixes() throws {
        let measured = knowledge.lookup("_ga_ABC123XYZ")
        #expect(measured.map(\.platform) == ["Google Analytics"] && measured.first?.isPrefix == true)
        // "_pk_id." (Piwik) is longer than "_pk_id" (Matomo): the longer prefix speaks.
        #expect(knowledge.lookup("_pk_id.1.a1b2").map(\.name) == ["_pk_id."])
        #expect(knowledge.lookup("_pk_idx").map(\.name) == ["_pk_id"])
    }

    @Test("a name the database does not know gives nothing; a name several platforms use gives each")
    func unknownAndShared() {
        #expect(knowledge.lookup("cookiewatch_unknown_4242").isEmpty)
        #expect(knowledge.lookup("").isEmpty)
        #expect(knowledge.lookup("euconsent-v2").count > 1)
    }

    @Test("the one category table: Functional, Security, Necessary → necessary; and so on")
    func categories() {
        #expect(KnowledgeCategory.charterCategory("Functional") == .necessary)
        #expect(KnowledgeCategory.charterCategory("Security") == .necessary)
        #expect(KnowledgeCategory.charterCategory("Personalization") == .preferences)
        #expect(KnowledgeCategory.charterCategory("Analytics") == .statistics)
        #expect(KnowledgeCategory.charterCategory("Marketing") == .marketing)
        #expect(KnowledgeCategory.charterCategory("Other") == nil)
    }

    @Test("a malformed row is an error naming its line")
    func malformed() {
        let error = #expect(throws: KnowledgeError.self) {
            try CookieKnowledge(csv: "id,platform,category,name,domain,retention,controller,wildcard\nx,y\n")
        }
        #expect(error?.description == "line 2 of the Open Cookie Database has 2 fields, expected 8")
    }

    @Test("a one- or two-character wildcard claims only its own name, not every name it starts")
    func shortPrefixes() {
        #expect(knowledge.lookup("_session").allSatisfy { $0.name.utf8.count >= CookieKnowledge.minimumPrefix })
        #expect(!knowledge.lookup("_s").isEmpty)
    }

    @Test("CSV: quoted fields keep commas, line breaks and doubled quotes; CRLF ends a row; UTF-8 is kept")
    func csvFields() {
        let text = "a,\"b, c\",\"say \"\"hi\"\"\"\r\n\"line\nbreak\",é,\r\nlast,\"\",x"
        #expect(
            CSVReader.rows(text) == [
                ["a", "b, c", "say \"hi\""], ["line\nbreak", "é", ""], ["last", "", "x"],
            ])
        #expect(CSVReader.rows("") == [])
        #expect(CSVReader.rows("only\n") == [["only"]])
    }

    @Test("every row of the shipped database has its eight fields and an id")
    func shippedRows() {
        let rows = CSVReader.rows(OpenCookieDatabase.csv)
        #expect(rows.allSatisfy { $0.count == 8 && !$0[0].isEmpty })
        #expect(Set(rows.dropFirst().map { $0[0] }).count > 2_000, "one row per id, none merged")
    }
}
