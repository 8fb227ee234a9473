import Charter
import Foundation
import Testing

/// `docs/charter.md` promises which duration texts are read and to what: its table is checked here, so
/// the documentation cannot drift from the parser.
@Suite("docs/charter.md")
struct CharterDocTests {
    /// The rows of the duration table: every backquoted text in the first cell, and the second cell.
    static func durationRows() throws -> [(texts: [String], seconds: String)] {
        let text = String(decoding: try Fixtures.shipped("docs/charter.md"), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("| text | seconds |") }) else { return [] }
        var rows: [(texts: [String], seconds: String)] = []
        for line in lines[(header + 2)...] {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let texts = cells[0].split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            rows.append((texts, cells[1]))
        }
        return rows
    }

    @Test("every duration the table shows is read, to the seconds it says")
    func durationTable() throws {
        let rows = try Self.durationRows()
        #expect(rows.count >= 8, "the duration table of docs/charter.md was not found")
        for row in rows {
            #expect(!row.texts.isEmpty)
            for text in row.texts {
                let duration = DeclaredDuration(parsing: text)
                #expect(duration != nil, "\(text) is documented as readable")
                if row.seconds.hasPrefix("a session cookie") {
                    #expect(duration?.lifetime == .session, "\(text)")
                } else if let seconds = Int(row.seconds.replacingOccurrences(of: ",", with: "")) {
                    #expect(duration?.seconds == seconds, "\(text)")
                }
            }
        }
    }

    @Test("the bound a hedged duration states is the lifetime held to")
    func hedges() {
        #expect(DeclaredDuration(parsing: "at most 30 days")?.seconds == 30 * CalendarConvention.day)
        #expect(DeclaredDuration(parsing: "30 jours maximum")?.seconds == 30 * CalendarConvention.day)
        #expect(DeclaredDuration(parsing: "1,5 ans")?.seconds == CalendarConvention.year * 3 / 2)
    }

    @Test("the examples the doc calls unreadable are refused")
    func unreadable() {
        #expect(DeclaredDuration(parsing: "until the user logs out") == nil)
        #expect(DeclaredDuration(parsing: "variable") == nil)
    }
}
