import DemoSite
import Foundation
import LocalHTTP
import ProcessTestSupport
import Testing

/// `scan` of a site whose cookies scripts write, with the browser engine: the real binary, real Chromium.
@Suite("cookiewatch scan with the browser engine, run as a process", .serialized)
struct BrowserScanTests {
    /// Values the site writes; none may reach any output.
    static let secrets = ["GA1.2.9f8e7d6c5b4a", "beamer-7c1d2e3f4a5b", "csrf-0a9b8c7d6e5f"]

    static let routes: [String: LocalHTTPServer.Handler] = [
        "/": { _ in
            .respond(.redirect(to: "/home", setCookies: ["django_language=fr; Max-Age=31536000; Path=/; SameSite=Lax"]))
        },
        "/home": { _ in
            .respond(
                .page(
                    """
                    <!doctype html><title>home</title>
                    <script src="/beamer.js"></script>
                    <script>document.cookie = "_ga=\(secrets[0]); Max-Age=63072000; Path=/";</script>
                    """, setCookies: ["csrftoken=\(secrets[2]); Max-Age=31536000; Path=/; SameSite=Lax"]))
        },
        "/beamer.js": { _ in
            .respond(
                Response(
                    headers: [HeaderLine("Content-Type", "application/javascript")],
                    body: #"document.cookie = "_BEAMER_USER_ID_x1=\#(secrets[1]); Max-Age=31536000; Path=/";"#
                        + #"localStorage.setItem("_BEAMER_LAST_POST_SHOWN", "\#(secrets[1])");"#))
        },
    ]

    /// A config scanning `http://site.test:PORT/` with the browser engine, the name mapped to the server.
    static func write(port: Int, to directory: URL) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(DemoFiles.shippedCharter.utf8).write(to: directory.appendingPathComponent("opendatasoft.json"))
        let config = directory.appendingPathComponent("config.json")
        try Data(
            #"""
            {
              "allowedPrivateNetworks": ["127.0.0.1/32"],
              "resolve": {"site.test": "127.0.0.1"},
              "browser": {"settle": "200ms"},
              "limits": {"totalTimeout": "20s"},
              "stateDirectory": "\#(directory.path)", "logsDirectory": "\#(directory.path)",
              "sites": [{
                "name": "scripted", "engine": "browser", "charters": ["opendatasoft.json"],
                "pages": [{"url": "http://site.test:\#(port)/"}]
              }]
            }
            """#.utf8
        ).write(to: config)
        return config.path
    }

    func withSite<T>(_ body: (String) async throws -> T) async throws -> T {
        let server = try LocalHTTPServer(routes: Self.routes)
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(try Self.write(port: server.port, to: directory))
    }

    @Test("script-written cookies are audited with the script that wrote them; declared script cookies count as seen")
    func scriptCookies() async throws {
        try await withSite { config in
            let r = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let findings = try #require(object["findings"] as? [[String: Any]])
            let kinds = findings.map { "\($0["kind"] ?? "") \($0["cookie"] ?? "-")" }.sorted()
            // _ga is undeclared; the charter's cookies_preferences (a script cookie) was never written;
            // csrftoken lacks its declared Secure. _BEAMER_USER_ID_x1 matches `_BEAMER*`: no finding.
            #expect(
                kinds == [
                    "attribute-mismatch csrftoken", "declared-not-seen cookies_preferences",
                    "lifetime-exceeds-limit _ga",
                    "undeclared _ga",
                ])
            let ga = try #require(findings.first { $0["kind"] as? String == "undeclared" })
            let evidence = try #require((ga["evidence"] as? [[String: Any]])?.first)
            let attributes = try #require(evidence["attributes"] as? [String: String])
            #expect(attributes["source"] == "script")
            #expect(attributes["setBy"]?.hasSuffix("/home (script)") == true)

            let cookies = try #require(object["cookies"] as? [[String: Any]])
            let beamer = try #require(cookies.first { $0["name"] as? String == "_BEAMER_USER_ID_x1" })
            #expect((beamer["setBy"] as? String)?.hasSuffix("/beamer.js (script)") == true)
            #expect(beamer["entry"] as? String == "_BEAMER*")

            let page = try #require((object["pages"] as? [[String: Any]])?.first)
            #expect(page["engine"] as? String == "browser")
            let storage = try #require((page["storage"] as? [[String: Any]])?.first)
            #expect(storage["localStorage"] as? [String] == ["_BEAMER_LAST_POST_SHOWN"])
            let summary = try #require(object["summary"] as? [String: Any])
            #expect(summary["modelDisagreements"] as? Int == 0)

            let text = try await ChildProcess.run(["scan", "--config", config])
            for secret in Self.secrets {
                #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret) && !text.stdout.contains(secret))
            }
        }
    }

    @Test("inspect --engine browser shows each response and script write, who set each cookie, and Chromium's store")
    func inspect() async throws {
        let server = try LocalHTTPServer(routes: Self.routes)
        defer { server.stop() }
        let url = "http://site.test:\(server.port)/"
        let arguments = [
            "inspect", "--engine", "browser", "--resolve", "site.test:127.0.0.1", "--allow-network", "127.0.0.1/32",
            url,
        ]
        let text = try await ChildProcess.run(arguments)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("1. navigation (first party): 302 \(url)\n  Set-Cookie django_language: stored"))
        #expect(
            text.stdout.contains(
                "script (first party): \(url)beamer.js (script)\n  Set-Cookie _BEAMER_USER_ID_x1: stored"))
        #expect(text.stdout.contains("Chromium's store at the end: 4 cookies"))
        #expect(text.stdout.contains("Chromium and the cookie model disagree on 0 lines"))
        let json = try await ChildProcess.run(arguments + ["--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.map { $0["source"] as? String } == ["navigation", "navigation", "script", "script"])
        for secret in Self.secrets { #expect(!text.stdout.contains(secret) && !json.stdout.contains(secret)) }
        let bad = try await ChildProcess.run([
            "inspect", "--engine", "browser", "--resolve", "site test:127.0.0.1", url,
        ])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(#"--resolve: expected HOST:ADDRESS, got "site test:127.0.0.1""#))
        // Without the network allowed, the page itself is refused by the address policy.
        let refused = try await ChildProcess.run([
            "inspect", "--engine", "browser", "--resolve", "site.test:127.0.0.1", url,
        ])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("failed: blocked-address: site.test resolves to 127.0.0.1"))
    }

    @Test("check-config names the Chromium it will drive, and says which package is missing")
    func checkConfig() async throws {
        try await withSite { config in
            let r = try await ChildProcess.run(["check-config", "--config", config])
            #expect(r.status == 0)
            #expect(r.stdout.contains("browser engine: Chromium "))

            let text = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(
                of: #""browser": {"settle": "200ms"}"#, with: #""browser": {"binary": "/nonexistent/chromium"}"#)
            try Data(text.utf8).write(to: URL(fileURLWithPath: config))
            for command in [["check-config"], ["scan"]] {
                let missing = try await ChildProcess.run(command + ["--config", config])
                #expect(missing.status == 2)
                #expect(
                    missing.stderr.contains("install Debian's `chromium-headless-shell` package"), "\(missing.stderr)")
            }
        }
    }
}
