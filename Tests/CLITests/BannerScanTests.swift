import Foundation
import LocalHTTP
import ProcessTestSupport
import Testing

/// The consent banner clicked as a visitor does, with real Chromium: what is stored before any choice,
/// after accepting, and after refusing.
@Suite("cookiewatch scan clicks the consent banner with the browser engine", .serialized)
struct BannerScanTests {
    /// A site whose analytics starts before any choice and ignores a refusal.
    static let page = """
        <!doctype html><title>banner</title>
        <script>document.cookie = "_ga=GA1.2.111; Max-Age=7776000; Path=/";</script>
        <div id="banner" style="position:fixed;bottom:0;left:0;width:100%;height:120px">
          <button id="accept" style="width:200px;height:40px">Accept</button>
          <button id="refuse" style="width:200px;height:40px">Refuse</button>
        </div>
        <script>
          const close = () => document.getElementById("banner").remove();
          document.getElementById("accept").addEventListener("click", () => {
            document.cookie = "cookies_preferences=all; Max-Age=15552000; Path=/";
            document.cookie = "_pk_id.1.ab=42; Max-Age=2592000; Path=/";
            close();
          });
          document.getElementById("refuse").addEventListener("click", () => {
            document.cookie = "cookies_preferences=none; Max-Age=15552000; Path=/";
            document.cookie = "_pk_id.1.ab=42; Max-Age=2592000; Path=/";
            close();
          });
        </script>
        """

    static let charter = #"""
        {"name": "banner test", "cookies": [
          {"name": "cookies_preferences", "provider": "Site", "purpose": "the visitor's choice",
           "category": "necessary", "duration": "6 months", "observable": "script"},
          {"name": "_pk_id*", "provider": "Matomo", "purpose": "audience", "category": "statistics",
           "duration": "13 months", "observable": "consent"},
          {"name": "_ga", "provider": "Google", "purpose": "audience", "category": "statistics",
           "duration": "2 years", "observable": "consent"}
        ]}
        """#

    static func config(port: Int, directory: URL) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(charter.utf8).write(to: directory.appendingPathComponent("charter.json"))
        let path = directory.appendingPathComponent("config.json")
        try Data(
            #"""
            {
              "allowedPrivateNetworks": ["127.0.0.1/32"], "resolve": {"shop.test": "127.0.0.1"},
              "browser": {"settle": "200ms"},
              "stateDirectory": "\#(directory.path)", "logsDirectory": "\#(directory.path)",
              "sites": [{
                "name": "shop", "engine": "browser", "charters": ["charter.json"],
                "variants": [
                  {"name": "accepted", "consent": false, "banner": {"click": ["#accept"], "choice": "accept", "wait": "300ms"}},
                  {"name": "refused", "consent": false, "banner": {"click": ["#refuse"], "choice": "refuse", "wait": "300ms"}},
                  {"name": "stale-selector", "consent": false, "banner": {"click": ["#agree"], "choice": "accept"}}
                ],
                "pages": [{"url": "http://shop.test:\#(port)/"}]
              }]
            }
            """#.utf8
        ).write(to: path)
        return path.path
    }

    @Test("before any choice, after accepting, after refusing, and a selector that matches nothing")
    func banner() async throws {
        let server = try LocalHTTPServer(routes: ["/": { _ in .respond(.page(Self.page)) }])
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-banner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try Self.config(port: server.port, directory: directory)

        let r = try await ChildProcess.run(["scan", "--config", config, "--format", "json", "--allow-incomplete"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        let findings = try #require(object["findings"] as? [[String: Any]])
        func variants(_ kind: String, _ cookie: String?) -> [String] {
            let finding = findings.first { $0["kind"] as? String == kind && $0["cookie"] as? String == cookie }
            return ((finding?["pages"] as? [[String: String]]) ?? []).compactMap { $0["variant"] }.sorted()
        }
        // _ga is written before any choice on every variant.
        #expect(variants("set-before-consent", "_ga") == ["accepted", "refused", "stale-selector"])
        // Matomo after a refusal is the breach; after acceptance it is what the visitor agreed to.
        #expect(variants("set-after-refusal", "_pk_id.1.ab") == ["refused"])
        #expect(variants("set-before-consent", "_pk_id.1.ab") == [])
        let refusal = try #require(findings.first { $0["kind"] as? String == "set-after-refusal" })
        #expect(refusal["severity"] as? String == "critical")
        let evidence = try #require(
            (refusal["evidence"] as? [[String: Any]])?.first?["attributes"] as? [String: String])
        #expect(evidence["after"] == "consent refused")
        // The stale selector is a scan error that names it, never a pass.
        let error = try #require(findings.first { $0["kind"] as? String == "scan-error" })
        #expect(
            (error["message"] as? String)?.contains(
                ##"banner-not-found: the banner selector "#agree" matches nothing"##) == true)
        // The declared script cookie was written on the variants that clicked.
        #expect(variants("declared-not-seen", "cookies_preferences") == [])
        let cookies = try #require(object["cookies"] as? [[String: Any]])
        let preferences = try #require(cookies.first { $0["name"] as? String == "cookies_preferences" })
        #expect(
            (preferences["pages"] as? [[String: String]])?.compactMap { $0["variant"] }.sorted() == [
                "accepted", "refused",
            ])

        // Without --allow-incomplete the stale selector fails the gate.
        #expect(try await ChildProcess.run(["scan", "--config", config]).status == 1)
    }

    @Test("check-config: a banner needs the browser engine and a visitor who has not chosen yet")
    func bannerConfig() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-banner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try Self.config(port: 1, directory: directory)
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: #""engine": "browser", "#, with: "")
            .replacingOccurrences(
                of: #"{"name": "refused", "consent": false"#, with: #"{"name": "refused", "consent": true"#)
        try Data(text.utf8).write(to: URL(fileURLWithPath: config))
        let r = try await ChildProcess.run(["check-config", "--config", config])
        #expect(r.status == 2)
        #expect(
            r.stderr.contains(
                #"sites[0].variants[0].banner: only the browser engine clicks a banner: set "engine": "browser" on the variant or its site"#
            ))
        #expect(
            r.stderr.contains(
                #"sites[0].variants[1].banner: a variant that clicks the banner starts as a visitor who has not chosen yet: set "consent": false"#
            ))
    }
}
