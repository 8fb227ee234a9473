import Audit
import Foundation
import Testing
import Watch

@testable import Report

@Suite("the fast path for unchanged lines")
struct UnchangedLineTests {
    static func line(site: String, url: String, variant: String = "no-consent", formatVersion: Int = 1) -> [UInt8] {
        var writer = HistoryChainWriter()
        var record = HistoryRecord(
            time: Date(timeIntervalSince1970: 1_795_824_001), site: site, page: PageRef(url: url, variant: variant),
            outcome: .unchanged(digest: String(repeating: "ab", count: 32)))
        record.formatVersion = formatVersion
        return Array(writer.next(record).line.dropLast())
    }

    @Test(
        "a line it reads gives the same record as HistoryRecord.parse",
        arguments: [
            ("example", "https://example.org/"), ("café ☕", "https://example.org/a?b=c&d=é"),
            ("", "https://example.org/path with spaces"),
        ])
    func sameRecord(site: String, url: String) throws {
        let bytes = Self.line(site: site, url: url)
        let fast = try #require(UnchangedLine.parse(bytes))
        #expect(fast == (try HistoryRecord.parse(bytes).get()))
    }

    @Test(
        "escapes, whitespace, other line types and newer formats are left to the decoder",
        arguments: [
            String(decoding: line(site: "say \"hi\"", url: "https://example.org/"), as: UTF8.self),
            String(decoding: line(site: "tab\there", url: "https://example.org/"), as: UTF8.self),
            String(decoding: line(site: "s", url: "https://example.org/", formatVersion: 2), as: UTF8.self),
            String(decoding: line(site: "s", url: "https://example.org/"), as: UTF8.self).replacingOccurrences(
                of: ",", with: ", "),
            String(decoding: line(site: "s", url: "https://example.org/"), as: UTF8.self).replacingOccurrences(
                of: "\"formatVersion\":1", with: "\"formatVersion\":\"1\""),
            String(decoding: line(site: "s", url: "https://example.org/"), as: UTF8.self).replacingOccurrences(
                of: "\"site\":\"s\"", with: "\"site\":\"s\",\"site\":\"t\""),
            #"{"digest":"d","failure":{"code":"dns"},"formatVersion":1,"page":"p","prev":"p","site":"s","#
                + #""time":"2026-11-28T00:00:00Z","type":"failure","variant":"v"}"#,
        ])
    func fallsBack(line: String) {
        #expect(UnchangedLine.parse(Array(line.utf8)) == nil)
    }
}
