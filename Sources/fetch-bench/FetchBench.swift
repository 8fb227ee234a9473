import ArgumentParser
import Foundation
import LocalHTTP
import Transport

#if canImport(Glibc)
    import Glibc
#endif

/// Visits N local pages through CurlFetcher, then fetches the same URLs with `curl --parallel`,
/// and prints pages per second and peak memory for both.
@main
struct FetchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-bench",
        abstract: "Benchmarks CurlFetcher against curl --parallel on a local site.")

    @Option(help: "Pages to visit.") var pages = 3000
    @Option(help: "Transfers in flight at once (CurlFetcher and curl --parallel-max).") var concurrency = 50
    @Option(help: "Cookies each page sets.") var cookiesPerPage = 3
    @Option(help: .hidden) var servePages: Int?

    func run() async throws {
        if let servePages {
            try serve(pages: servePages)
            return
        }
        let site = try SiteProcess(pages: pages, cookiesPerPage: cookiesPerPage)
        defer { site.stop() }
        let urls = (0..<pages).map { "http://127.0.0.1:\(site.port)/page/\($0)" }
        print(
            "fetch-bench: \(pages) pages, \(cookiesPerPage) cookies each, concurrency \(concurrency), server in a separate process"
        )

        print(
            String(
                format: "baseline (runtime, Foundation, before any visit): peak RSS %.1f MB", Self.peakRSSMegabytes()))
        let ours = try await benchmarkFetcher(urls: urls)
        print(
            String(
                format: "CurlFetcher     %5d ok %3d failed  %7.2f s  %8.0f pages/s  peak RSS %6.1f MB",
                ours.succeeded, ours.failed, ours.seconds, Double(urls.count) / ours.seconds, ours.peakMB))
        let curl = try benchmarkCurl(urls: urls)
        print(
            String(
                format: "curl --parallel %5d urls          %7.2f s  %8.0f pages/s  peak RSS %6.1f MB",
                urls.count, curl.seconds, Double(urls.count) / curl.seconds, curl.peakMB))
    }

    private func benchmarkFetcher(urls: [String]) async throws -> (
        succeeded: Int, failed: Int, seconds: Double, peakMB: Double
    ) {
        let fetcher = try CurlFetcher(
            concurrency: ConcurrencyLimits(maxTransfers: concurrency, maxTransfersPerHost: concurrency))
        defer { fetcher.shutdown() }
        var limits = FetchLimits()
        limits.addressPolicy = try AddressPolicy(allowing: ["127.0.0.0/8"])
        let started = ContinuousClock.now
        // A window of 2 × concurrency visits in flight, as a scheduler would keep: enough to keep every
        // transfer slot busy, without holding thousands of queued visits in memory.
        let (succeeded, failed) = await withTaskGroup(of: Bool.self) { group in
            var pending = urls.makeIterator()
            func addNext() {
                guard let url = pending.next() else { return }
                group.addTask { [limits] in await fetcher.visit(VisitRequest(url: url, limits: limits)).failure == nil }
            }
            for _ in 0..<(2 * concurrency) { addNext() }
            var counts = (0, 0)
            while let ok = await group.next() {
                if ok { counts.0 += 1 } else { counts.1 += 1 }
                addNext()
            }
            return counts
        }
        return (succeeded, failed, Self.seconds(ContinuousClock.now - started), Self.peakRSSMegabytes())
    }

    private func benchmarkCurl(urls: [String]) throws -> (seconds: Double, peakMB: Double) {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-bench-\(getpid()).curlrc")
        let lines = urls.map { "url = \"\($0)\"\noutput = \"/dev/null\"" }.joined(separator: "\n")
        try lines.write(to: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: config) }
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["--silent", "--parallel", "--parallel-max", "\(concurrency)", "-K", config.path]
        curl.standardError = FileHandle.nullDevice  // its parallel progress meter ignores --silent
        let started = ContinuousClock.now
        try curl.run()
        // VmHWM of curl's own address space, sampled until it exits: it only grows, so the last
        // sample is the peak within a few milliseconds. (ru_maxrss of a spawned child would report
        // this process's size, which Linux carries across vfork and exec.)
        var peakKilobytes = 0.0
        while curl.isRunning {
            peakKilobytes = max(peakKilobytes, Self.peakRSSKilobytes(ofProcess: "\(curl.processIdentifier)") ?? 0)
            usleep(2_000)
        }
        curl.waitUntilExit()
        let seconds = Self.seconds(ContinuousClock.now - started)
        guard curl.terminationStatus == 0 else {
            throw ValidationError("curl --parallel exited with status \(curl.terminationStatus)")
        }
        return (seconds, peakKilobytes / 1024)
    }

    /// The hidden child mode: serve the pages, print the port, run until stdin closes.
    private func serve(pages: Int) throws {
        let server = try LocalHTTPServer(fallback: { request in
            guard request.path.hasPrefix("/page/") else { return .respond(Response(status: 404)) }
            let cookies = (0..<cookiesPerPage).map {
                "c\($0)=\(request.path.dropFirst(6)); Path=/; Max-Age=3600; HttpOnly"
            }
            return .respond(.page("<!doctype html><title>page</title><p>\(request.path)</p>", setCookies: cookies))
        })
        FileHandle.standardOutput.write(Data("\(server.port)\n".utf8))
        while readLine() != nil {}
        server.stop()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// VmHWM of this process: the most resident memory it has used.
    static func peakRSSMegabytes() -> Double { (peakRSSKilobytes(ofProcess: "self") ?? 0) / 1024 }

    /// VmHWM from /proc/<pid>/status, in kilobytes.
    static func peakRSSKilobytes(ofProcess pid: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Double(line.split(separator: " ").dropFirst().first ?? "")
    }
}
