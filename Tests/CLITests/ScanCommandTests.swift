import DemoSite
import Foundation
import LocalHTTP
import ProcessTestSupport
import Testing

/// `scan`, `demo` and `inspect` as a user runs them: the real binary against the real sample site.
@Suite("cookiewatch scan, demo and inspect, run as processes")
struct ScanCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The demo's deliberate drift, as "severity kind cookie".
    static let deliberate = [
        "critical set-before-consent _pk_id.1.a1b2", "high undeclared _ga", "medium attribute-mismatch csrftoken",
        "medium attribute-mismatch sessionid", "medium lifetime-exceeds-declared csrftoken",
        "medium lifetime-exceeds-declared sessionid", "medium lifetime-exceeds-limit _ga",
    ]

    func findings(_ json: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        return findings.map { "\($0["severity"] ?? "") \($0["kind"] ?? "") \($0["cookie"] ?? "-")" }.sorted()
    }

    func withDemoSite<T>(declared: Bool = false, _ body: (String, DemoSite) async throws -> T) async throws -> T {
        let site = try DemoSite()
        defer { site.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(
            try DemoFiles.write(to: directory, base: site.baseURL, password: site.password, declared: declared), site)
    }

    /// Runs `demo`, hands its result to `body`, then removes the directory it reports on stderr.
    func runDemo(
        _ arguments: [String] = [], _ body: (ChildProcess.Result) throws -> Void = { _ in }
    ) async throws -> ChildProcess.Result {
        let r = try await ChildProcess.run(["demo"] + arguments)
        defer {
            if let range = r.stderr.range(of: "charters in ") {
                let path = r.stderr[range.upperBound...].prefix { $0 != "\n" }
                try? FileManager.default.removeItem(atPath: String(path))
            }
        }
        try body(r)
        return r
    }

    /// The path on the demo's `HTML report: PATH` line, if it printed one in `output`.
    static func reportPath(_ output: String) -> String? {
        output.split(separator: "\n").last { $0.hasPrefix("HTML report: ") }.map {
            String($0.dropFirst("HTML report: ".count))
        }
    }

    @Test("demo prints the deliberate findings, then the path of its HTML report, which shows the drift")
    func demo() async throws {
        let text = try await runDemo { r in
            let path = try #require(Self.reportPath(r.stdout), "no HTML report line in \(r.stdout)")
            #expect(r.stdout.hasSuffix("HTML report: \(path)\n"))
            let html = try String(contentsOfFile: path, encoding: .utf8)
            // The seed charter's cookies: seen, or listed as declared and not seen.
            for name in ["sessionid", "django_language", "csrftoken", "cookies_preferences", "_BEAMER*"] {
                #expect(html.contains("<code>\(name)</code>"), "the report lacks \(name)")
            }
            // The drift between the previous release and the current one.
            #expect(html.contains("<span class=\"appeared\">appeared</span></td><td><code>_ga</code>"))
            #expect(html.contains("<span class=\"changed\">changed</span></td><td><code>csrftoken</code>"))
            #expect(html.contains("<svg ") && html.contains("class=\"event appeared\""))
            // The previous release is pinned as the approved state; the report compares with it too.
            #expect(html.contains("Against the pinned baseline (pinned ") && html.contains(" by cookiewatch demo)"))
        }
        #expect(text.status == 0)
        // The scripted page, through the browser engine: a script's undeclared _ga, a third-party pixel,
        // and the seed charter's script cookies written by a script and by the banner's accept button.
        #expect(text.stdout.contains(#"HIGH     third-party: "_fbp" is set by pixel.localhost"#))
        #expect(text.stdout.contains("/app/beamer.js (script)"))
        // What an undeclared cookie usually is, from the Open Cookie Database, marked as a suggestion.
        #expect(
            text.stdout.contains(
                "known as: Google Analytics, statistics, usually 2 years (a suggestion to review, Open Cookie Database 256c18e8-d881-11e9-8a34-2a2ae2dbcce4)"
            ))
        #expect(text.stdout.contains("Seed charter entries set by scripts, seen: cookies_preferences, _BEAMER*\n"))
        for kind in [
            "set-before-consent", "undeclared", "attribute-mismatch", "lifetime-exceeds-declared",
            "lifetime-exceeds-limit",
        ] {
            #expect(text.stdout.contains(kind))
        }
        let json = try await runDemo(["--format", "json"]) { r in
            let path = try #require(Self.reportPath(r.stderr), "no HTML report line in \(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: path))
        }
        #expect(try findings(json.stdout) == Self.deliberate)
    }

    @Test("scan --fail-on high exits 1 on the demo's configuration and 0 once its charter declares the drift")
    func failOn() async throws {
        try await withDemoSite { config, _ in
            let r = try await ChildProcess.run(["scan", "--config", config, "--fail-on", "high", "--format", "json"])
            #expect(r.status == 1)
            #expect(try findings(r.stdout) == Self.deliberate)
            #expect(try await ChildProcess.run(["scan", "--config", config]).status == 0)
            #expect(try await ChildProcess.run(["scan", "--config", config, "--fail-on", "critical"]).status == 1)
        }
        try await withDemoSite(declared: true) { config, _ in
            let r = try await ChildProcess.run(["scan", "--config", config, "--fail-on", "high", "--format", "json"])
            #expect(r.status == 0)
            #expect(
                try findings(r.stdout) == [
                    "medium attribute-mismatch csrftoken", "medium attribute-mismatch sessionid",
                    "medium lifetime-exceeds-declared csrftoken", "medium lifetime-exceeds-declared sessionid",
                    "medium lifetime-exceeds-limit _ga",
                ])
            #expect(try await ChildProcess.run(["scan", "--config", config, "--fail-on", "medium"]).status == 1)
        }
    }

    @Test("no cookie value reaches scan output: values appear only as length and shape")
    func noValues() async throws {
        try await withDemoSite { config, site in
            let json = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
            let text = try await ChildProcess.run(["scan", "--config", config])
            // Cookie values, the session token and the form's CSRF token included, and the login's password.
            let values = site.issuedValues + [site.password]
            #expect(values.count >= 14)
            for value in values {
                #expect(!json.stdout.contains(value) && !text.stdout.contains(value) && !json.stderr.contains(value))
            }
            #expect(json.stdout.contains("\"valueShape\":\"hex\""))
        }
    }

    @Test("the JSON has pages with hops, cookies with the hop that set them, and findings with evidence")
    func jsonShape() async throws {
        try await withDemoSite { config, site in
            let r = try await ChildProcess.run(["scan", "--config", config, "--site", "demo", "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let pages = try #require(object["pages"] as? [[String: Any]])
            #expect(pages.count == 5)
            let first = try #require(
                pages.first {
                    ($0["url"] as? String) == site.baseURL + "/" && ($0["variant"] as? String) == "no-consent"
                })
            let hops = try #require(first["hops"] as? [[String: Any]])
            #expect(hops.map { $0["status"] as? Int } == [302, 200])
            #expect(hops[0]["stored"] as? [String] == ["django_language", "csrftoken"])
            let cookies = try #require(object["cookies"] as? [[String: Any]])
            let csrf = try #require(cookies.first { $0["name"] as? String == "csrftoken" })
            #expect(csrf["setOnRedirect"] as? Bool == true && csrf["declared"] as? String == "Up to 12 months")
            let csrfPages = try #require(csrf["pages"] as? [[String: String]])
            #expect(csrfPages.contains { $0 == ["url": site.baseURL + "/", "variant": "no-consent"] })
            let summary = try #require(object["summary"] as? [String: Any])
            #expect(summary["highestSeverity"] as? String == "critical" && summary["failedPages"] as? Int == 0)
        }
    }

    @Test("an unknown site, a bad --fail-on and a broken config are usage errors (exit 2)")
    func usage() async throws {
        try await withDemoSite { config, _ in
            let unknown = try await ChildProcess.run(["scan", "--config", config, "--site", "nope"])
            #expect(unknown.status == 2 && unknown.stderr.contains("no site named \"nope\""))
            #expect(try await ChildProcess.run(["scan", "--config", config, "--fail-on", "urgent"]).status == 2)
        }
        let missing = try await ChildProcess.run(["scan", "--config", "/nonexistent/config.json"])
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/config.json"))
    }

    @Test("a page that cannot be fetched is a scan-error finding and the other pages are still scanned")
    func scanError() async throws {
        try await withDemoSite { config, site in
            var text = try String(contentsOfFile: config, encoding: .utf8)
            text = text.replacingOccurrences(
                of: "{\"url\": \"\(site.baseURL)/fr/explore/\"}", with: "{\"url\": \"http://127.0.0.1:1/unreachable/\"}"
            )
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            let r = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
            let found = try findings(r.stdout)
            #expect(found.contains("medium scan-error -"))
            #expect(found.contains("critical set-before-consent _pk_id.1.a1b2"))
        }
    }

    @Test("inspect shows every hop and Set-Cookie, the charter match, and refuses loopback unless allowed")
    func inspect() async throws {
        let site = try DemoSite()
        defer { site.stop() }
        let refused = try await ChildProcess.run(["inspect", site.baseURL + "/"])
        #expect(refused.status == 1 && refused.stdout.contains("blocked-address"))
        let charter = Self.root.appendingPathComponent("charters/opendatasoft.json").path
        let r = try await ChildProcess.run([
            "inspect", site.baseURL + "/", "--allow-network", "127.0.0.0/8", "--charter", charter,
        ])
        #expect(r.status == 0)
        #expect(r.stdout.contains("hop 1: 302 \(site.baseURL)/"))
        #expect(r.stdout.contains("Set-Cookie csrftoken: stored"))
        #expect(r.stdout.contains("charter: exact csrftoken (necessary, declared Up to 12 months)"))
        #expect(r.stdout.contains("charter: undeclared"))
        // The undeclared Matomo cookie: what the Open Cookie Database says, as a suggestion; a declared
        // cookie gets no such line.
        #expect(
            r.stdout.contains(
                "    known as: Piwik, statistics, usually 13 Months (a suggestion to review, Open Cookie Database "),
            "\(r.stdout)")
        #expect(!r.stdout.contains("csrftoken (necessary, declared Up to 12 months)\n    known as"))
        for value in site.issuedValues { #expect(!r.stdout.contains(value)) }
    }

    @Test("the demo's copy of the shipped charter is the shipped file")
    func embeddedCharter() throws {
        let shipped = try String(
            contentsOf: Self.root.appendingPathComponent("charters/opendatasoft.json"), encoding: .utf8)
        // A raw multi-line literal drops the file's final newline.
        #expect(DemoFiles.shippedCharter + "\n" == shipped)
    }
}
