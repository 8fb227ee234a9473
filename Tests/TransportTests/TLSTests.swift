import Foundation
import ProcessTestSupport
import Testing
import Transport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("TLS is always verified")
struct TLSTests {
    @Test("a self-signed certificate is a tls failure")
    func selfSigned() async throws {
        let server = try await TLSServer()
        defer { server.stop() }
        let fetcher = try CurlFetcher()
        defer { fetcher.shutdown() }

        let exchange = await fetcher.visit(VisitRequest(url: server.url, limits: testLimits()))

        #expect(exchange.failure?.code == .tls)
        #expect(exchange.failure?.curlCode == 60)
    }

    @Test("the same certificate given as the site's extra CA file is trusted, and the TLS version recorded")
    func extraCAFile() async throws {
        let server = try await TLSServer()
        defer { server.stop() }
        let fetcher = try CurlFetcher()
        defer { fetcher.shutdown() }
        var limits = testLimits()
        limits.extraCAFile = server.certificate

        let exchange = await fetcher.visit(VisitRequest(url: server.url, limits: limits))

        #expect(exchange.failure == nil, "\(String(describing: exchange.failure))")
        #expect(exchange.hops.first?.status == 200)
        #expect(exchange.hops.first?.tlsVersion?.hasPrefix("TLSv1.") == true)
        #expect((exchange.hops.first?.timings.tlsHandshake ?? .zero) > .zero)
    }
}

extension TLSTests {
    @Test("one visit after another on one easy handle resumes no TLS session: each handshake is new")
    func noSessionResumedAcrossVisits() async throws {
        let server = try await TLSServer()
        defer { server.stop() }
        // One transfer at a time: the second visit takes the handle the first gave back to the pool.
        let fetcher = try CurlFetcher(concurrency: ConcurrencyLimits(maxTransfers: 1, maxTransfersPerHost: 1))
        defer { fetcher.shutdown() }
        var request = VisitRequest(url: server.url, limits: testLimits())
        request.limits.extraCAFile = server.certificate
        request.keepsBody = true

        var pages: [String] = []
        for _ in 0..<3 {
            let exchange = await fetcher.visit(request)
            #expect(exchange.failure == nil, "\(String(describing: exchange.failure))")
            pages.append(String(decoding: exchange.body ?? [], as: UTF8.self))
        }
        // `s_server -www` closes each connection and says, on its status page, whether the session was
        // new or reused.
        #expect(pages.allSatisfy { $0.contains("New, TLS") }, "\(pages.map { $0.prefix(400) })")
        #expect(!pages.contains { $0.contains("Reused, TLS") })
    }
}

/// `openssl s_server -www` on 127.0.0.1 with a fresh self-signed certificate for `localhost` and 127.0.0.1.
struct TLSServer {
    let process: Process
    let directory: URL
    let port: Int

    var url: String { "https://localhost:\(port)/" }
    var certificate: String { directory.appendingPathComponent("cert.pem").path }

    /// Generates the certificate and starts the server, waiting without holding a test-pool thread.
    init() async throws {
        guard
            let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first(
                where: FileManager.default.isExecutableFile)
        else {
            throw TestSetupError("openssl is needed to serve self-signed TLS: apt-get install openssl")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cookiewatch-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let generated = try await ChildProcess.run(
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", directory.appendingPathComponent("key.pem").path, "-out",
                directory.appendingPathComponent("cert.pem").path,
            ], binary: URL(fileURLWithPath: openssl))
        guard generated.status == 0 else {
            throw TestSetupError("openssl req -x509 failed with status \(generated.status): \(generated.stderr)")
        }
        port = try closedPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "s_server", "-quiet", "-www", "-accept", "127.0.0.1:\(port)",
            "-cert", directory.appendingPathComponent("cert.pem").path, "-key",
            directory.appendingPathComponent("key.pem").path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(5)
        while !Self.accepts(port: port) {
            guard ContinuousClock.now < deadline, process.isRunning else {
                stop()
                throw TestSetupError("openssl s_server did not start listening on 127.0.0.1:\(port)")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() {
        if process.isRunning {
            // SIGKILL, not terminate(): the child inherits the test thread's signal mask, in which
            // SIGTERM can be blocked, and then waitUntilExit never returns.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
