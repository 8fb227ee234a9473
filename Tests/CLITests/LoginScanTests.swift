import DemoSite
import Foundation
import ProcessTestSupport
import Testing

/// `scan` of the demo platform behind its Django-like login: one journey per variant per round, the
/// session cookie audited, logged out after, and a failed login a scan error.
@Suite("Scanning behind a login")
struct LoginScanTests {
    /// The demo's files with a second page in the signed-in variant; `body` gets the config's path.
    func withSite(_ body: (String, DemoSite) async throws -> Void) async throws {
        let site = try DemoSite()
        defer { site.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-login-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try DemoFiles.write(to: directory, base: site.baseURL, password: site.password)
        try DemoFiles.addSignedInPage(toConfiguration: config, base: site.baseURL)
        try await body(config, site)
    }

    /// Replaces each `(text, with)` in the file at `config`, every occurrence.
    func edit(_ config: String, _ replacements: [(String, String)]) throws {
        var text = try String(contentsOfFile: config, encoding: .utf8)
        for (old, new) in replacements {
            #expect(text.contains(old), "\(old) is not in the configuration")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// The signed-in variant on the browser engine.
    static let browserEngine = [
        ("\"login\": \"monitor\"", "\"login\": \"monitor\", \"engine\": \"browser\""),
        ("\"allowedPrivateNetworks\"", "\"browser\": {\"settle\": \"200ms\"}, \"allowedPrivateNetworks\""),
    ]

    func json(_ output: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    @Test("two signed-in pages: one login with the CSRF token, the session cookie checked, then one logout")
    func signedIn() async throws {
        try await withSite { config, site in
            let r = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(site.logins == 1 && site.logouts == 1 && site.openSessions == 0)
            let object = try json(r.stdout)
            let pages = try #require(object["pages"] as? [[String: Any]])
            let signedIn = pages.filter { $0["variant"] as? String == "signed-in" }
            #expect(signedIn.count == 2 && signedIn.allSatisfy { $0["failure"] == nil })
            // The variant's first page in configuration order carries the journey's own responses.
            let carrier = try #require(signedIn.first { ($0["url"] as? String)?.hasSuffix("/fr/explore/") == true })
            let hops = try #require(carrier["hops"] as? [[String: Any]])
            #expect(hops.map { $0["source"] as? String } == ["login", "login", "login", "navigation"])
            #expect(hops.map { $0["status"] as? Int } == [200, 302, 200, 200])
            #expect(hops[1]["stored"] as? [String] == ["sessionid"])
            let findings = try #require(object["findings"] as? [[String: Any]])
            let lifetime = try #require(
                findings.first {
                    $0["kind"] as? String == "lifetime-exceeds-declared" && $0["cookie"] as? String == "sessionid"
                })
            #expect(lifetime["message"] as? String == "\"sessionid\" lives 30 days; the charter declares \"2 weeks\"")
            let evidence = try #require((lifetime["evidence"] as? [[String: Any]])?.first)
            let attributes = try #require(evidence["attributes"] as? [String: String])
            #expect(attributes["login"] == "after login" && attributes["source"] == "login")
            #expect(
                !findings.contains {
                    $0["kind"] as? String == "declared-not-seen" && $0["cookie"] as? String == "sessionid"
                })
            // Neither the password nor the session or CSRF tokens reach any output.
            for secret in site.issuedValues + [site.password] {
                #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret))
            }
        }
    }

    @Test("a wrong password: login-failed on every page of the variant, a scan error, never cookies gone")
    func wrongPassword() async throws {
        try await withSite { config, site in
            let passwordFile = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent(
                "demo-password")
            try Data("not-the-password\n".utf8).write(to: passwordFile)
            let r = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
            #expect(r.status == 1)
            #expect(site.logins == 0 && site.logouts == 0)
            let object = try json(r.stdout)
            let failed = try #require(object["pages"] as? [[String: Any]]).compactMap {
                $0["failure"] as? [String: Any]
            }
            #expect(failed.count == 2 && failed.allSatisfy { $0["code"] as? String == "login-failed" })
            #expect(
                failed.first?["message"] as? String
                    == "login \"monitor\" failed at step success (success-rule-not-met): the login stored no cookie \"sessionid\" (it ended at \(site.baseURL)/accounts/login/ with status 200)"
            )
            let kinds = try #require(object["findings"] as? [[String: Any]]).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("scan-error") && !kinds.contains("declared-not-seen"))
            #expect(!r.stdout.contains("not-the-password") && !r.stderr.contains("not-the-password"))

            let text = try await ChildProcess.run(["scan", "--config", config])
            #expect(text.stdout.contains("login-failed: login \"monitor\" failed at step success"), "\(text.stdout)")
        }
    }

    @Test("the browser engine visits signed in: the journey's session is in Chromium's store before the page loads")
    func browserSignedIn() async throws {
        try await withSite { config, site in
            try edit(config, Self.browserEngine)
            let r = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            let pages = try #require(try json(r.stdout)["pages"] as? [[String: Any]])
            let profile = try #require(pages.first { ($0["url"] as? String)?.hasSuffix("/accounts/profile/") == true })
            #expect(profile["engine"] as? String == "browser" && profile["failure"] == nil)
            let hops = try #require(profile["hops"] as? [[String: Any]])
            // Not sent back to the login form: Chromium had the session (and nothing is "browser-store").
            let browsed = hops.filter { $0["source"] as? String != "login" }
            #expect(!browsed.contains { $0["source"] as? String == "browser-store" }, "\(hops)")
            // Chromium's loads (a browser navigation's headers) of both pages of the variant carried the session.
            let chromiumLoads = site.server.requests.filter {
                ["/accounts/profile/", "/fr/explore/"].contains($0.path) && $0.header("Sec-Fetch-Dest") == "document"
                    && ($0.header("Cookie") ?? "").contains("sessionid=")
            }
            #expect(Set(chromiumLoads.map(\.path)).count == 2, "\(site.server.requests.map(\.path))")
            #expect(!site.server.requests.contains { $0.target.hasPrefix("/accounts/login/?next=") })
            #expect(site.logins == 1 && site.logouts == 1)
        }
    }

    @Test("with selectors, browser variants sign in in Chromium: typed, clicked, the session kept from its store")
    func browserJourney() async throws {
        try await withSite { config, site in
            try edit(
                config,
                Self.browserEngine + [
                    (
                        "\"form\": \"login-form\",",
                        """
                        "form": "login-form", "selectors": {"username": "#login-form input[name=username]",
                          "password": "#login-form input[name=password]", "submit": "#login-form button"},
                        """
                    )
                ])
            let r = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(site.logins == 1 && site.logouts == 1 && site.openSessions == 0)
            // Chromium posted the form (a browser navigation's headers), the token carried by the page itself.
            let post = try #require(site.server.requests.first { $0.method == "POST" && $0.path == "/accounts/login/" })
            #expect(post.header("Sec-Fetch-Dest") == "document", "\(post.headers)")
            let object = try json(r.stdout)
            let pages = try #require(object["pages"] as? [[String: Any]])
            let signedIn = pages.filter { $0["variant"] as? String == "signed-in" }
            #expect(signedIn.count == 2 && signedIn.allSatisfy { $0["failure"] == nil }, "\(signedIn)")
            #expect(!site.server.requests.contains { $0.target.hasPrefix("/accounts/login/?next=") })
            let findings = try #require(object["findings"] as? [[String: Any]])
            let lifetime = try #require(
                findings.first {
                    $0["kind"] as? String == "lifetime-exceeds-declared" && $0["cookie"] as? String == "sessionid"
                })
            let evidence = try #require((lifetime["evidence"] as? [[String: Any]])?.first)
            #expect((evidence["attributes"] as? [String: String])?["login"] == "after login")
            #expect((evidence["attributes"] as? [String: String])?["source"] == "login")
            for secret in site.issuedValues + [site.password] {
                #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret))
            }

            // A selector that finds nothing: login-failed naming it, on every page of the variant.
            try edit(config, [("#login-form button", "#login-form .nope")])
            let broken = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
            #expect(broken.status == 1)
            let failures = try #require(try json(broken.stdout)["pages"] as? [[String: Any]]).compactMap {
                $0["failure"] as? [String: Any]
            }
            #expect(failures.count == 2 && failures.allSatisfy { $0["code"] as? String == "login-failed" })
            #expect(
                (failures.first?["message"] as? String)?.hasPrefix(
                    "login \"monitor\" failed at step login-page (form-not-found): the login submit selector \"#login-form .nope\" matches nothing on "
                ) == true, "\(failures)")
        }
    }

    @Test("a session the server ended mid-round: the page sent back to the login form is login-failed, not signed in")
    func sessionEnded() async throws {
        try await withSite { config, site in
            // The journey's own redirect to the profile is the session's only signed-in page load.
            site.endSessions(after: 1)
            let r = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
            #expect(r.status == 1)
            let pages = try #require(try json(r.stdout)["pages"] as? [[String: Any]])
            let profile = try #require(
                pages.first { ($0["url"] as? String)?.hasSuffix("/accounts/profile/") == true })
            let failure = try #require(profile["failure"] as? [String: Any])
            #expect(failure["code"] as? String == "login-failed")
            #expect(
                failure["message"] as? String
                    == "login \"monitor\" failed at step session (session-ended): the page sent the signed-in visitor back to the login page \(site.baseURL)/accounts/login/"
            )
        }
    }

    @Test("check-config names a missing password file and a variant's unknown journey")
    func checkConfig() async throws {
        try await withSite { config, _ in
            #expect(try await ChildProcess.run(["check-config", "--config", config]).status == 0)
            var text = try String(contentsOfFile: config, encoding: .utf8)
            text = text.replacingOccurrences(
                of: "\"passwordFile\": \"demo-password\"", with: "\"passwordFile\": \"gone\"")
            let reference = try #require(text.range(of: "\"login\": \"monitor\""))
            text.replaceSubrange(reference, with: "\"login\": \"staff\"")
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            let r = try await ChildProcess.run(["check-config", "--config", config])
            #expect(r.status == 2)
            let directory = URL(fileURLWithPath: config).deletingLastPathComponent().path
            #expect(
                r.stderr.contains(
                    "sites[0].logins[0].passwordFile: the password file \"\(directory)/gone\" does not exist"),
                "\(r.stderr)")
            #expect(
                r.stderr.contains("variants[0].login: no login journey named \"staff\" (known: monitor)"), "\(r.stderr)"
            )
            // The journey with the error is reported once, not again by each variant naming it.
            #expect(r.stderr.split(separator: "\n").count == 2, "\(r.stderr)")
        }
    }
}
