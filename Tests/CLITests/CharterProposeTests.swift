import DemoSite
import Foundation
import ProcessTestSupport
import Testing

/// `charter propose` on the demo's history: what the reviewed charter would be, and that it holds.
@Suite("cookiewatch charter propose")
struct CharterProposeTests {
    @Test("on the demo's history: valid charters that, fed back, leave no undeclared or beyond-declared cookie")
    func demoProposal() async throws {
        let demo = try await ChildProcess.run(["demo", "--format", "json"])
        let directory = try #require(
            demo.stderr.range(of: "charters in ").map { String(demo.stderr[$0.upperBound...].prefix { $0 != "\n" }) })
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let proposed = directory + "/proposed"
        let r = try await ChildProcess.run([
            "charter", "propose", "--config", directory + "/config.json", "--output", proposed,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  - added _ga: statistics, 730 days, Google Analytics\n"), "\(r.stdout)")
        #expect(r.stdout.contains(#"  - csrftoken: duration "Up to 12 months" → "380 days""#))
        #expect(r.stdout.contains(#"  - sessionid: duration "2 weeks" → "30 days""#))
        let table = try String(contentsOfFile: proposed + "/opendatasoft.md", encoding: .utf8)
        #expect(table.contains("_ga") && table.contains("Google Analytics"))
        let html = try String(contentsOfFile: proposed + "/opendatasoft.html", encoding: .utf8)
        #expect(html.contains("<table") && html.contains("Google Analytics"))

        // The report's tables as CSV, for the records of processing.
        let csv = try await ChildProcess.run([
            "report", "--config", directory + "/config.json", "--format", "csv", "--output", directory + "/csv",
        ])
        #expect(csv.status == 0, "\(csv.stderr)")
        let findings = try String(contentsOfFile: directory + "/csv/findings.csv", encoding: .utf8)
        let rows = findings.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first == "site,severity,kind,cookie,message,since,pages,evidence,id")
        #expect(rows.count == 1 + 7, "\(findings)")
        #expect(rows.dropFirst().first?.hasPrefix("demo,critical,set-before-consent,_pk_id.1.a1b2,") == true)
        let cookies = try String(contentsOfFile: directory + "/csv/cookies.csv", encoding: .utf8)
        #expect(cookies.contains("\r\ndemo,_ga,127.0.0.1,true,/,undeclared,"), "\(cookies)")

        // The demo's site is gone with the demo: a new one, scanned with the proposed charters.
        let site = try DemoSite()
        defer { site.stop() }
        let again = directory + "/again"
        let config = try DemoFiles.write(to: URL(fileURLWithPath: again), base: site.baseURL, password: site.password)
        for name in ["opendatasoft.json", "demo-analytics.json"] {
            try FileManager.default.removeItem(atPath: again + "/" + name)
            try FileManager.default.copyItem(atPath: proposed + "/" + name, toPath: again + "/" + name)
        }
        let check = try await ChildProcess.run(["check-config", "--config", config])
        #expect(check.status == 0, "\(check.stderr)")
        let scan = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
        let kinds = try #require(object["findings"] as? [[String: Any]]).map {
            "\($0["kind"] ?? "") \($0["cookie"] ?? "-")"
        }
        #expect(
            !kinds.contains { $0.hasPrefix("undeclared ") || $0.hasPrefix("lifetime-exceeds-declared ") }, "\(kinds)")
        // What the proposal does not touch stays: Matomo before consent is the site's to fix.
        #expect(kinds.contains("set-before-consent _pk_id.1.a1b2"))
    }

    @Test("a configuration with several sites needs --site, and a site never scanned says so")
    func usage() async throws {
        let site = try DemoSite()
        defer { site.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-propose-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try DemoFiles.write(to: directory, base: site.baseURL, password: site.password)
        let r = try await ChildProcess.run([
            "charter", "propose", "--config", config, "--output", directory.appendingPathComponent("out").path,
        ])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no scan of site demo in "), "\(r.stderr)")
        let unknown = try await ChildProcess.run([
            "charter", "propose", "--config", config, "--site", "nope", "--output", directory.path,
        ])
        #expect(unknown.status == 2 && unknown.stderr.contains("--site nope: no such site"))
    }
}
