import Browser
import Foundation
import LocalHTTP
import Testing
import Transport

@Suite("The browser engine records what Chromium does on a page", .serialized)
struct BrowserVisitTests {
    static let routes: [String: LocalHTTPServer.Handler] = [
        "/": { _ in .respond(.redirect(to: "/home", setCookies: ["hop=1; Path=/"])) },
        "/home": { _ in
            .respond(
                .page(
                    """
                    <!doctype html><title>home</title>
                    <script src="/writer.js"></script>
                    <script>document.cookie = "inline=yes; Max-Age=600; Path=/";</script>
                    """, setCookies: ["csrftoken=abc123; Max-Age=31536000; SameSite=Lax; Path=/"]))
        },
        "/writer.js": { _ in
            .respond(
                Response(
                    headers: [HeaderLine("Content-Type", "application/javascript")],
                    body: """
                        document.cookie = "_ga=GA1.2.3456; Max-Age=63072000; Path=/";
                        localStorage.setItem("visitor", "secret-storage-value");
                        sessionStorage.setItem("tab", "1");
                        """))
        },
    ]

    /// Debian's headless shell (the default) and its desktop `chromium`: both drive the same way.
    static let binaries = Array(ChromiumInstallation.candidates.prefix(2))

    @Test(
        "navigation hops, script writes with their script, the final store and storage key names",
        arguments: binaries)
    func recordsAPage(binary: String) async throws {
        let site = try BrowserTestSite(routes: Self.routes, binary: binary)
        let result = await site.visit("/")
        await site.finish()
        #expect(result.failure == nil, "\(String(describing: result.failure))")
        let capture = result.capture

        let navigation = capture.responses.filter(\.isNavigation)
        #expect(navigation.map(\.status) == [302, 200])
        #expect(navigation.first?.url == site.url("/"))
        #expect(navigation.first?.setCookieLines == ["hop=1; Path=/"])
        #expect(navigation.last?.setCookieLines.first?.hasPrefix("csrftoken=") == true)

        let writes = capture.scriptWrites
        let ga = try #require(writes.first { $0.text.hasPrefix("_ga=") })
        #expect(ga.scriptURL == site.url("/writer.js"))
        #expect(ga.documentURL == site.url("/home"))
        let inline = try #require(writes.first { $0.text.hasPrefix("inline=") })
        #expect(inline.scriptURL == site.url("/home"))

        #expect(Set(capture.finalCookies.map(\.name)) == ["hop", "csrftoken", "_ga", "inline"])
        let storage = try #require(capture.storage.first)
        #expect(storage.local == ["visitor"])
        #expect(storage.session == ["tab"])
        #expect(capture.loaded)
    }

    @Test("each visit starts with an empty store: nothing leaks from one context into the next")
    func freshContextPerVisit() async throws {
        let site = try BrowserTestSite(routes: Self.routes)
        _ = await site.visit("/")
        let second = await site.visit("/writer.js")
        await site.finish()
        #expect(second.failure == nil)
        #expect(second.capture.finalCookies.isEmpty)
    }

    @Test("a page's window.open opens nothing: no popup, no request")
    func noPopups() async throws {
        let site = try BrowserTestSite(routes: [
            "/opener": { _ in
                .respond(
                    .page(
                        """
                        <!doctype html><script>
                        const w = window.open("/popup", "_blank");
                        document.cookie = "popup=" + (w === null ? "none" : "opened") + "; Path=/";
                        </script>
                        """))
            },
            "/popup": { _ in .respond(.page("popup", setCookies: ["from_popup=1; Path=/"])) },
        ])
        let result = await site.visit("/opener")
        let requests = site.server.requests.map(\.path)
        await site.finish()
        #expect(result.capture.finalCookies.map { "\($0.name)=\($0.value)" } == ["popup=none"])
        #expect(!requests.contains("/popup"))
    }

    @Test("a name that does not resolve is a dns failure, not an empty pass")
    func unresolvable() async throws {
        let site = try BrowserTestSite(routes: Self.routes)
        let result = await site.visit("/", host: "nowhere.invalid")
        await site.finish()
        #expect(result.failure?.code == .dns)
    }
}

@Suite("Chromium runs where writable memory cannot be made executable", .serialized)
struct MemoryDenyWriteExecuteTests {
    /// systemd's MemoryDenyWriteExecute=yes is PR_SET_MDWE on this kernel: a wrapper sets it and execs
    /// Chromium, as the unit does. With V8's JIT on, Chromium hangs there; cookiewatch turns it off.
    @Test("page scripts still run and write cookies under PR_SET_MDWE")
    func mdwe() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-mdwe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let chromium = try ChromiumInstallation.locate().binary
        let wrapper = directory.appendingPathComponent("chromium-mdwe")
        try Data(
            """
            #!/bin/sh
            exec python3 -c 'import ctypes, os, sys
            assert ctypes.CDLL(None).prctl(65, 1, 0, 0, 0) == 0, "PR_SET_MDWE failed"
            os.execv(sys.argv[1], sys.argv[1:])' \(chromium) "$@"
            """.utf8
        ).write(to: wrapper)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        let site = try BrowserTestSite(routes: BrowserVisitTests.routes, binary: wrapper.path)
        let result = await site.visit("/")
        await site.finish()
        #expect(result.failure == nil, "\(String(describing: result.failure))")
        #expect(result.capture.scriptWrites.contains { $0.text.hasPrefix("_ga=") })
    }
}
