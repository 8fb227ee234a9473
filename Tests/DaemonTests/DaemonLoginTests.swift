import DemoSite
import Foundation
import ProcessTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `cookiewatch run` on the demo platform with a signed-in variant over two pages, a round a second.
@Suite("Daemon behind a login")
struct DaemonLoginTests {
    @Test("one login per variant per round, logged out when the site's round completes, no secret written")
    func roundsSignIn() async throws {
        let site = try DemoSite()
        defer { site.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-dlogin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try DemoFiles.write(to: directory, base: site.baseURL, password: site.password)
        try DemoFiles.addSignedInPage(toConfiguration: config, base: site.baseURL)
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "\"allowedPrivateNetworks\"",
            with: "\"schedule\": {\"interval\": \"1m\", \"jitter\": \"0s\"}, \"allowedPrivateNetworks\"")
        try text.write(toFile: config, atomically: true, encoding: .utf8)

        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil
        let daemon = try ChildProcess(["run", "--config", config, "--test-speedup", "60"], environment: environment)
        // Signed-in visits of the second page: one per round.
        func signedInVisits() -> Int {
            site.server.requests.filter {
                $0.path == "/fr/explore/" && ($0.header("Cookie") ?? "").contains("sessionid=")
            }
            .count
        }
        #expect(await eventually(within: 30) { signedInVisits() >= 4 && site.logouts >= 3 }, "\(daemon.stderr)")
        daemon.send(SIGTERM)
        #expect(await daemon.exit(within: 10) == 0, "\(daemon.stderr)")
        // Per round, not per page: two signed-in pages a round would otherwise double the logins.
        #expect(abs(site.logins - signedInVisits()) <= 1, "logins \(site.logins), signed-in visits \(signedInVisits())")
        #expect(site.logouts >= site.logins - 1 && site.openSessions <= 1)
        // No visit was logged out under it (the profile page would send it back to the login form).
        #expect(!site.server.requests.contains { $0.target.hasPrefix("/accounts/login/?next=") })

        var written = daemon.stderr + daemon.stdout
        let state = directory.appendingPathComponent("state")
        let enumerator = FileManager.default.enumerator(atPath: state.path)
        while let name = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: state.appendingPathComponent(name).path) {
                written += String(decoding: data, as: UTF8.self)
            }
        }
        #expect(written.contains("sessionid") && written.contains("lifetime-exceeds-declared"))
        for secret in site.issuedValues + [site.password] {
            #expect(!written.contains(secret))
        }
    }
}
