import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import LocalHTTP
import ProcessTestSupport
import Testing

/// The deploy gate fails closed: `scan` cannot pass on what it did not see, and one hostile page
/// cannot flood it. Every target is on loopback; the blocked one (127.0.0.2) is outside the allowed
/// network, so nothing can leave the machine even if the address policy broke.
@Suite("scan as a deploy gate: incomplete passes fail, findings are capped per page")
struct GateCommandTests {
    static let charter = """
        {"name": "gate", "cookies": [{"name": "sid", "category": "necessary", "duration": "session"}]}
        """

    /// A config for `pages` on loopback with short limits, with the gate's charter beside it.
    static func config(_ pages: [String], totalTimeout: String = "2s") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-gate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(charter.utf8).write(to: directory.appendingPathComponent("gate.json"))
        let list = pages.map { "{\"url\": \"\($0)\"}" }.joined(separator: ", ")
        let text = """
            {"allowedPrivateNetworks": ["127.0.0.1/32"],
             "limits": {"connectTimeout": "1s", "totalTimeout": "\(totalTimeout)"},
             "stateDirectory": "\(directory.path)",
             "sites": [{"name": "gate", "charters": ["gate.json"], "pages": [\(list)]}]}
            """
        let file = directory.appendingPathComponent("config.json")
        try Data(text.utf8).write(to: file)
        return file.path
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// A loopback port that refuses connections for as long as the returned socket stays open: bound
    /// but never listening, so no other test's server can take it meanwhile.
    static func refusedPort() throws -> (port: Int, socket: Int32) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw CocoaError(.fileReadUnknown) }
        return (Int(UInt16(bigEndian: address.sin_port)), fd)
    }

    @Test(
        "a pass where a page hangs, is refused or is blocked exits 1 and says incomplete, whatever --fail-on says",
        arguments: ["hang", "refused", "blocked"])
    func incompleteFails(fault: String) async throws {
        let server = try LocalHTTPServer()
        defer { server.stop() }
        server.route("/ok") { _ in .respond(.page(setCookies: ["sid=1; Path=/"])) }
        server.route("/hang") { _ in .hang }
        let refused = try Self.refusedPort()
        defer { close(refused.socket) }
        let broken =
            switch fault {
            case "hang": server.url("/hang")
            case "refused": "http://127.0.0.1:\(refused.port)/"
            default: "http://127.0.0.2:\(server.port)/"
            }
        let config = try Self.config([server.url("/ok"), broken])

        let gated = try await ChildProcess.run(["scan", "--config", config, "--fail-on", "critical"])
        #expect(gated.status == 1, "an incomplete pass must not pass the gate: \(gated.stderr)")
        #expect(gated.stderr.contains("scan incomplete: 1 of 2 page variants could not be scanned"))
        #expect(gated.stdout.contains("INCOMPLETE: scan incomplete"))
        let expectedCode = ["hang": "timeout", "refused": "connect", "blocked": "blocked-address"][fault]!
        #expect(gated.stderr.contains("(\(expectedCode))"), "\(gated.stderr)")

        // Without --fail-on too: the pass did not see everything.
        #expect(try await ChildProcess.run(["scan", "--config", config]).status == 1)

        // The user may opt out: then only what was seen is judged, the failure as a medium scan-error.
        let allowed = try await ChildProcess.run([
            "scan", "--config", config, "--fail-on", "high", "--allow-incomplete", "--format", "json",
        ])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let report = try Self.json(allowed.stdout)
        #expect(report["complete"] as? Bool == false)
        let pages = try #require(report["pages"] as? [[String: Any]])
        let failure = try #require(pages[1]["failure"] as? [String: Any])
        #expect(failure["code"] as? String == expectedCode)
        if fault == "hang" {
            #expect(
                (failure["message"] as? String)?.contains("total timeout of 2s (limits.totalTimeout)") == true,
                "the timeout names the limit that fired: \(failure)")
        }
        let medium = try await ChildProcess.run([
            "scan", "--config", config, "--fail-on", "medium", "--allow-incomplete",
        ])
        #expect(medium.status == 1, "the scan-error is still a medium finding")
    }

    @Test("a complete pass reports complete and passes the gate")
    func completePasses() async throws {
        let server = try LocalHTTPServer()
        defer { server.stop() }
        server.route("/ok") { _ in .respond(.page(setCookies: ["sid=1; Path=/"])) }
        let config = try Self.config([server.url("/ok")])
        let r = try await ChildProcess.run(["scan", "--config", config, "--fail-on", "low", "--format", "json"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(try Self.json(r.stdout)["complete"] as? Bool == true)
        #expect(!r.stderr.contains("incomplete"))
    }

    @Test("5,000 Set-Cookie headers: scan and inspect agree on the 180 cookies kept; findings are capped and counted")
    func hostilePage() async throws {
        let server = try LocalHTTPServer()
        defer { server.stop() }
        let flood = (0..<5_000).map { "c\($0)=v; Path=/" }
        server.route("/flood") { _ in .respond(.page(setCookies: flood)) }
        let config = try Self.config([server.url("/flood")], totalTimeout: "20s")

        let scan = try await ChildProcess.run(["scan", "--config", config, "--format", "json", "--fail-on", "high"])
        #expect(scan.status == 1, "the undeclared cookies are high findings, counted even where left out")
        let report = try Self.json(scan.stdout)
        let cookies = try #require(report["cookies"] as? [[String: Any]])
        let findings = try #require(report["findings"] as? [[String: Any]])
        let summary = try #require(report["summary"] as? [String: Any])
        let omittedList = try #require(report["findingsOmitted"] as? [[String: Any]])
        #expect(omittedList.count == 1)
        let omitted = try #require(omittedList.first)
        #expect((omitted["page"] as? [String: Any])?["url"] as? String == server.url("/flood"))

        let inspect = try await ChildProcess.run([
            "inspect", server.url("/flood"), "--allow-network", "127.0.0.1/32", "--format", "json",
        ])
        #expect(inspect.status == 0)
        let inspected = try #require(try Self.json(inspect.stdout)["cookies"] as? [[String: Any]])
        #expect(inspected.count == 180)
        #expect(cookies.count == inspected.count, "scan and inspect tell one story")
        #expect(
            Set(cookies.compactMap { $0["name"] as? String }) == Set(inspected.compactMap { $0["name"] as? String }))
        #expect(findings.filter { $0["kind"] as? String == "undeclared" }.count == 100)
        #expect(findings.count == 101, "the 100 listed, and the charter's sid declared but not seen")
        #expect(omitted["count"] as? Int == 80)
        #expect(omitted["highestSeverity"] as? String == "high")
        #expect(summary["findingsOmitted"] as? Int == 80)
        #expect(scan.stdout.utf8.count < 1_000_000, "one page cannot flood the output")
    }
}
