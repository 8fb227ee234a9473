import Audit
import Foundation
import ProcessTestSupport
import Testing
import Watch

@Suite("cookiewatch baseline pin, and the report against the pin, run as processes")
struct BaselineCommandTests {
    static let csrf = ReportCommandTests.cookie("csrftoken")
    static let session = ReportCommandTests.cookie("_hjSession")

    @Test("pin records the latest list with who and when; after new drift the report shows it against the pin")
    func pinThenDrift() async throws {
        let setup = try ReportCommandTests.setup()
        defer { setup.remove() }
        let pin = try await ChildProcess.run(["baseline", "pin", "--config", setup.config, "--by", "dpo@example.org"])
        #expect(pin.status == 0, "\(pin.stderr)")
        let file = setup.directory.path + "/state/baseline.json"
        #expect(pin.stdout.hasPrefix("pinned site s: 1 page variant, 2 cookies\n\(file): pinned at "))
        let baseline = try #require(try BaselineFile(stateDirectory: setup.directory.path + "/state").load())
        #expect(baseline.pinnedBy == "dpo@example.org")
        #expect(baseline.sites["s"]?.pages.map(\.cookies) == [[Self.session, Self.csrf]])
        #expect(!String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self).contains("value\""))

        // The next day: _hjSession goes, csrftoken loses Secure.
        var insecure = Self.csrf
        insecure.attributes.secure = false
        try setup.append([(1_796_083_200, [insecure], [Self.csrf, Self.session])])  // 2026-12-01
        let window = ["--since", "2026-11-28", "--until", "2026-12-01"]
        let md = try await ChildProcess.run(["report", "--config", setup.config, "--format", "md"] + window)
        #expect(md.status == 0, "\(md.stderr)")
        #expect(md.stdout.contains("### Against the pinned baseline (pinned "))
        #expect(md.stdout.contains(" by dpo@example.org)\n"))
        #expect(md.stdout.contains("| https://example.org/ [default] | changed | csrftoken | Secure, SameSite=lax"))
        #expect(md.stdout.contains("| https://example.org/ [default] | disappeared | _hjSession | Secure,"))
        let html = try await ChildProcess.run(["report", "--config", setup.config] + window)
        #expect(html.stdout.contains("<section class=\"baseline\"><h3>Against the pinned baseline (pinned "))
        let json = try await ChildProcess.run(["report", "--config", setup.config, "--format", "json"] + window)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let site = try #require((object["sites"] as? [[String: Any]])?.first)
        let pinned = try #require(site["baseline"] as? [String: Any])
        #expect(pinned["pinnedBy"] as? String == "dpo@example.org")
        let changes = try #require(pinned["changes"] as? [[String: Any]])
        #expect(changes.map { $0["change"] as? String } == ["disappeared", "changed"])
        #expect((changes[1]["before"] as? [String: Any])?["secure"] as? Bool == true)
        #expect((changes[1]["after"] as? [String: Any])?["secure"] as? Bool == false)
        #expect(pinned["missingPages"] as? [Any] != nil && pinned["unpinnedPages"] as? [Any] != nil)

        // Pinning again approves the new state: nothing left against the pin.
        #expect(try await ChildProcess.run(["baseline", "pin", "--config", setup.config]).status == 0)
        let again = try await ChildProcess.run(["report", "--config", setup.config, "--format", "md"] + window)
        #expect(
            again.stdout.contains("No change: the latest cookies of every pinned page variant are the pinned ones."))
    }

    @Test("without --by the pin is signed with $USER, else $LOGNAME, else unknown")
    func person() async throws {
        let setup = try ReportCommandTests.setup()
        defer { setup.remove() }
        let file = BaselineFile(stateDirectory: setup.directory.path + "/state")
        for (environment, expected) in [
            (["USER": "alice", "LOGNAME": "bob"], "alice"), (["LOGNAME": "bob"], "bob"), ([:], "unknown"),
        ] {
            let r = try await ChildProcess.run(["baseline", "pin", "--config", setup.config], environment: environment)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try file.load()?.pinnedBy == expected)
        }
    }

    @Test("no history yet: pin exits 2 naming the history directory, and writes nothing")
    func noHistory() async throws {
        let setup = try HistoryFixture([])
        defer { setup.remove() }
        let r = try await ChildProcess.run(["baseline", "pin", "--config", setup.config])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("cookiewatch: \(setup.history): no cookie list in the history yet"))
        #expect(!FileManager.default.fileExists(atPath: setup.directory.path + "/state/baseline.json"))
    }

    @Test("a baseline file that cannot be read stops pin and report with exit 2, naming the file and key")
    func badFile() async throws {
        let setup = try ReportCommandTests.setup()
        defer { setup.remove() }
        let file = setup.directory.path + "/state/baseline.json"
        try Data(#"{"formatVersion": 1, "pinnedAt": "2026-11-28T00:00:00Z", "pinnedBy": "x", "sitez": {}}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        let message = "cookiewatch: \(file): cannot load the baseline: missing key \"sites\"\n"
        let report = try await ChildProcess.run(["report", "--config", setup.config, "--format", "md"])
        #expect(report.status == 2)
        #expect(report.stderr == message)
        let pin = try await ChildProcess.run(["baseline", "pin", "--config", setup.config])
        #expect(pin.status == 2)
        #expect(pin.stderr == message)
    }

    @Test("pin --site of a site not in the configuration exits 2")
    func unknownSite() async throws {
        let setup = try ReportCommandTests.setup()
        defer { setup.remove() }
        let r = try await ChildProcess.run(["baseline", "pin", "--config", setup.config, "--site", "nope"])
        #expect(r.status == 2)
        #expect(r.stderr == "cookiewatch: --site nope: no such site in \(setup.config) (sites: s)\n")
    }
}
