import Foundation
import ProcessTestSupport
import Testing

@Suite("cookiewatch explain, run as a process")
struct ExplainCommandTests {
    let site = "https://www.example.com/"

    @Test("a cookie for a public suffix is reported rejected with its reason, exit 0")
    func publicSuffix() async throws {
        let r = try await ChildProcess.run(["explain", "--url", site], stdin: Data("a=b; Domain=com\n".utf8))
        #expect(r.status == 0)
        #expect(r.stdout.contains("line 1: a: rejected"))
        #expect(
            r.stdout.contains("public-suffix-domain: Domain=com is a public suffix; browsers refuse cookies for it"))
        #expect(r.stdout.contains("Stored cookies: 0"))
    }

    @Test("JSON output has the documented shape: headers, cookies with every attribute, and the Cookie header")
    func json() async throws {
        let input =
            "sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600\nSet-Cookie: lang=fr\nbad=1; Domain=other.org\n"
        let r = try await ChildProcess.run(
            [
                "explain", "--url", site + "login", "--request", site, "--now", "2026-01-01T00:00:00Z", "--format",
                "json",
            ],
            stdin: Data(input.utf8))
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let headers = try #require(object["headers"] as? [[String: Any]])
        #expect(headers.map { $0["outcome"] as? String } == ["stored", "stored", "rejected"])
        #expect(headers[2]["reason"] as? String == "domain-mismatch")
        let cookies = try #require(object["cookies"] as? [[String: Any]])
        let sid = try #require(cookies.first)
        #expect(sid["name"] as? String == "sid" && sid["value"] as? String == "abc")
        #expect(sid["domain"] as? String == "www.example.com" && sid["hostOnly"] as? Bool == true)
        #expect(
            sid["secure"] as? Bool == true && sid["httpOnly"] as? Bool == true && sid["sameSite"] as? String == "lax")
        #expect(sid["persistent"] as? Bool == true && sid["expires"] as? String == "2026-01-01T01:00:00Z")
        #expect(sid["partitioned"] as? Bool == false && sid["path"] as? String == "/")
        let request = try #require(object["request"] as? [String: Any])
        #expect(request["cookieHeader"] as? String == "sid=abc; lang=fr")
    }

    @Test(
        "bad arguments are usage errors (exit 2) that name the argument",
        arguments: [
            (["explain", "--url", "ftp://example.com/"], "--url"),
            (["explain", "--url", "https://www.example.com/", "--now", "yesterday"], "--now"),
            (["explain", "--url", "https://www.example.com/", "--request", "mailto:x@example.com"], "--request"),
            (["explain"], "--url"),
        ])
    func usageErrors(_ arguments: [String], _ named: String) async throws {
        let r = try await ChildProcess.run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(named))
    }

    @Test("arbitrary bytes on stdin never crash it: invalid UTF-8, NUL, a 1 MB line, 100,000 lines")
    func arbitraryBytes() async throws {
        var input = Data()
        input.append(contentsOf: [0x61, 0xFF, 0xFE, 0x3D, 0x62, 0x0A])  // invalid UTF-8
        input.append(contentsOf: Array("nul=a".utf8) + [0x00] + Array("b\n".utf8))
        input.append(Data(("big=" + String(repeating: "x", count: 1_000_000) + "\n").utf8))
        for i in 0..<100_000 { input.append(Data("c\(i % 500)=v; Max-Age=\(i)\n".utf8)) }
        let r = try await ChildProcess.run(["explain", "--url", site, "--format", "json"], stdin: input)
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let headers = try #require(object["headers"] as? [[String: Any]])
        #expect(headers.count == 100_003)
        #expect(headers[1]["reason"] as? String == "control-character")
        #expect(headers[2]["reason"] as? String == "too-large")
        let cookies = try #require(object["cookies"] as? [[String: Any]])
        #expect(cookies.count <= 180)
    }
}
