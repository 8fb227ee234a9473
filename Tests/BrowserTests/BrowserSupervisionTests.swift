import Browser
import Foundation
import LocalHTTP
import Testing
import Transport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("A browser that crashes or hangs fails its visit and is replaced", .serialized)
struct BrowserSupervisionTests {
    /// A page that never finishes loading: its image is never answered.
    static let routes: [String: LocalHTTPServer.Handler] = [
        "/slow": { _ in .respond(.page(#"<!doctype html><img src="/never.gif">"#)) },
        "/never.gif": { _ in .hang },
        "/ok": { _ in .respond(.page("<!doctype html>ok", setCookies: ["after=1; Path=/"])) },
    ]

    @Test("visits arriving while the browser starts share that one start, and all run", .timeLimit(.minutes(1)))
    func concurrentFirstVisits() async throws {
        // (A visit entering `begin` between a launch's end and its launcher's resumption used to await the
        // finished task again without suspending and spin on the actor; seen once in a CI run, not
        // reproduced here on demand: this checks the waiting path still serves every visit.)
        for _ in 0..<3 {
            let site = try BrowserTestSite(routes: Self.routes)
            let results = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<6 { group.addTask { await site.visit("/ok").failure == nil } }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results == Array(repeating: true, count: 6))
            #expect(await site.engine.supervisor.restarts == 0)
            await site.finish()
        }
    }

    @Test("the browser killed mid-visit: browser-crashed, then a new browser serves the next visit")
    func crash() async throws {
        let site = try BrowserTestSite(routes: Self.routes)
        let visit = Task { await site.visit("/slow", timeout: .seconds(20)) }
        let pid = try await runningBrowser(site)
        try await Task.sleep(for: .milliseconds(800))
        kill(pid, SIGKILL)
        let crashed = await visit.value
        #expect(crashed.failure?.code == .browserCrashed, "\(String(describing: crashed.failure))")

        let next = await site.visit("/ok")
        #expect(next.failure == nil)
        #expect(next.capture.finalCookies.map(\.name) == ["after"])
        #expect(await site.engine.supervisor.restarts == 1)
        #expect(await site.engine.supervisor.processID() != pid)
        await site.finish()
    }

    @Test("the browser stops answering mid-visit: browser-timeout, killed, and replaced")
    func hang() async throws {
        let site = try BrowserTestSite(routes: Self.routes) { $0.commandTimeout = .seconds(2) }
        let visit = Task { await site.visit("/slow", timeout: .seconds(20)) }
        let pid = try await runningBrowser(site)
        try await Task.sleep(for: .milliseconds(800))
        kill(pid, SIGSTOP)
        let hung = await visit.value
        #expect(hung.failure?.code == .browserTimeout, "\(String(describing: hung.failure))")
        // The stopped browser was killed, not left behind.
        #expect(kill(pid, 0) == -1)

        let next = await site.visit("/ok")
        #expect(next.failure == nil)
        #expect(await site.engine.supervisor.restarts == 1)
        await site.finish()
    }

    @Test("a browser over its memory limit is replaced between visits, never under one in flight")
    func memoryLimit() async throws {
        let site = try BrowserTestSite(routes: Self.routes) { $0.memoryLimitBytes = 1 }
        let results = await withTaskGroup(of: BrowserVisitResult.self) { group in
            for _ in 0..<8 { group.addTask { await site.visit("/ok") } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let restarts = await site.engine.supervisor.restarts
        await site.finish()
        #expect(results.allSatisfy { $0.failure == nil }, "\(results.compactMap(\.failure))")
        #expect(results.allSatisfy { $0.capture.finalCookies.map(\.name) == ["after"] })
        #expect(restarts >= 1)
    }

    private func runningBrowser(_ site: BrowserTestSite) async throws -> Int32 {
        for _ in 0..<600 {
            if let pid = await site.engine.supervisor.processID() { return pid }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }
}
