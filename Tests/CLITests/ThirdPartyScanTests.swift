import Foundation
import ProcessTestSupport
import Testing

/// Third-party cookies as a default desktop Chrome stores them: an https site, a pixel and an ad frame
/// on other registrable domains, real Chromium, and the scan's verdicts.
@Suite("cookiewatch scan sees third-party cookies with the browser engine", .serialized)
struct ThirdPartyScanTests {
    static let routes: [String: TLSSite.Route] = [
        "/": .html(
            """
            <!doctype html><title>shop</title>
            <img src="https://pixel.example:{{PORT}}/p.gif">
            <iframe src="https://ads.example:{{PORT}}/frame"></iframe>
            """, setCookies: ["csrftoken=s3cr3t-csrf; Max-Age=31536000; Path=/; SameSite=Lax; Secure"]),
        "/p.gif": TLSSite.Route(
            headers: [
                ("Content-Type", "image/gif"),
                ("Set-Cookie", "_fbp=fb.1.1700000000.s3cr3tfbp; Max-Age=7776000; Path=/; SameSite=None; Secure"),
                ("Set-Cookie", "lax_pixel=1; Max-Age=600; Path=/; SameSite=Lax; Secure"),
            ], body: "GIF89a"),
        "/frame": .html(
            "<!doctype html>ad", setCookies: ["__Host-ad_part=9; Path=/; Secure; SameSite=None; Partitioned"]),
    ]

    static let charter = #"""
        {"name": "shop", "cookies": [
          {"name": "csrftoken", "provider": "Shop", "purpose": "CSRF", "category": "necessary", "duration": "1 year"}
        ]}
        """#

    static func config(_ site: TLSSite, directory: URL, thirdPartyCookies: Bool) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(charter.utf8).write(to: directory.appendingPathComponent("charter.json"))
        let path = directory.appendingPathComponent("config.json")
        try Data(
            #"""
            {
              "allowedPrivateNetworks": ["127.0.0.1/32"],
              "resolve": {"shop.test": "127.0.0.1", "pixel.example": "127.0.0.1", "ads.example": "127.0.0.1"},
              "browser": {"settle": "200ms", "trustedPublicKeys": ["\#(site.publicKeyPin)"],
                          "thirdPartyCookies": \#(thirdPartyCookies)},
              "stateDirectory": "\#(directory.path)", "logsDirectory": "\#(directory.path)",
              "sites": [{"name": "shop", "engine": "browser", "charters": ["charter.json"],
                         "pages": [{"url": "https://shop.test:\#(site.port)/"}]}]
            }
            """#.utf8
        ).write(to: path)
        return path.path
    }

    func scan(thirdPartyCookies: Bool) async throws -> [String: Any] {
        let site = try await TLSSite(hosts: ["shop.test", "pixel.example", "ads.example"], routes: Self.routes)
        defer { site.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-3p-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try Self.config(site, directory: directory, thirdPartyCookies: thirdPartyCookies)
        let r = try await ChildProcess.run(["scan", "--config", config, "--format", "json"])
        // Every cookie value the site sends holds "s3cr3t" (a bare number could match a port).
        #expect(!r.stdout.contains("s3cr3t"))
        return try #require(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
    }

    @Test("a pixel's cookie is third-party, a partitioned frame cookie is kept, and Chromium agrees with the model")
    func thirdParty() async throws {
        let object = try await scan(thirdPartyCookies: true)
        let findings = try #require(object["findings"] as? [[String: Any]])
        let kinds = Set(findings.map { "\($0["kind"] ?? "") \($0["cookie"] ?? "-")" })
        #expect(kinds.contains("third-party _fbp"))
        #expect(kinds.contains("third-party __Host-ad_part"))
        // SameSite=Lax from a cross-site pixel: both Chromium and the model refuse it.
        #expect(kinds.contains("rejected-by-browser lax_pixel"))
        #expect(!kinds.contains("undeclared csrftoken"))
        let fbp = try #require(findings.first { $0["cookie"] as? String == "_fbp" })
        let evidence = try #require((fbp["evidence"] as? [[String: Any]])?.first?["attributes"] as? [String: String])
        #expect(evidence["source"] == "subresource")
        let part = try #require(findings.first { $0["cookie"] as? String == "__Host-ad_part" })
        let partEvidence = try #require(
            (part["evidence"] as? [[String: Any]])?.first?["attributes"] as? [String: String])
        #expect(partEvidence["partitioned"] == "true")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["modelDisagreements"] as? Int == 0, "\(object["pages"] ?? "")")
    }

    @Test("with third-party cookies blocked, as a fresh headless profile does, Chromium refuses the pixel's")
    func blocked() async throws {
        let object = try await scan(thirdPartyCookies: false)
        let page = try #require((object["pages"] as? [[String: Any]])?.first)
        let disagreements = (page["disagreements"] as? [[String: String]]) ?? []
        // The model stores what a default Chrome stores; the blocked profile's refusal shows as a
        // disagreement that names Chromium's reason.
        let fbp = disagreements.first { $0["cookie"] == "_fbp" && $0["model"] == "stored" }
        // The desktop browser's profile setting says UserPreferences; the headless shell's switch, ThirdPartyPhaseout.
        #expect(
            ["blocked: UserPreferences", "blocked: ThirdPartyPhaseout"].contains(fbp?["browser"] ?? ""),
            "\(disagreements)")
    }
}
