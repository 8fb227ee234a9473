import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTPS site for tests on 127.0.0.1: Python's `http.server` behind TLS, a throw-away certificate
/// (made with the openssl CLI) for every test host name, and scripted routes by path; `{{PORT}}` in a
/// body becomes the server's port, so pages can name other hosts on it. Third-party
/// cookies need it: `SameSite=None` needs `Secure`, and `Secure` needs https.
public final class TLSSite: @unchecked Sendable {
    /// One scripted answer.
    public struct Route: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String

        public init(status: Int = 200, headers: [(String, String)] = [], body: String = "") {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public static func html(_ body: String, setCookies: [String] = []) -> Route {
            Route(headers: [("Content-Type", "text/html")] + setCookies.map { ("Set-Cookie", $0) }, body: body)
        }
    }

    public let port: Int
    /// The certificate (PEM): a CA file for libcurl.
    public let certificate: String
    /// Base64 SHA-256 of the certificate's public key: what Chromium is told to trust.
    public let publicKeyPin: String
    private let process: Process
    private let directory: URL

    public init(hosts: [String], routes: [String: Route]) async throws {
        guard let openssl = ["/usr/bin/openssl"].first(where: FileManager.default.isExecutableFile),
            let python = ["/usr/bin/python3"].first(where: FileManager.default.isExecutableFile)
        else {
            throw TLSSiteError(
                "openssl and python3 are needed for the HTTPS test site: apt-get install openssl python3")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-tls-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let names = hosts.map { "DNS:\($0)" }.joined(separator: ",")
        let made = try await ChildProcess.run(
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=\(hosts[0])",
                "-addext", "subjectAltName=\(names)", "-keyout", key, "-out", cert,
            ], binary: URL(fileURLWithPath: openssl))
        guard made.status == 0 else { throw TLSSiteError("openssl req failed: \(made.stderr)") }
        let pin = try await ChildProcess.run(
            [
                "-c",
                "\(openssl) x509 -in \(cert) -pubkey -noout | \(openssl) pkey -pubin -outform der"
                    + " | \(openssl) dgst -sha256 -binary | base64",
            ], binary: URL(fileURLWithPath: "/bin/sh"))
        certificate = cert
        publicKeyPin = pin.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        var table: [String: Any] = [:]
        for (path, route) in routes {
            table[path] = ["status": route.status, "headers": route.headers.map { [$0.0, $0.1] }, "body": route.body]
        }
        let routesFile = directory.appendingPathComponent("routes.json")
        try JSONSerialization.data(withJSONObject: table).write(to: routesFile)
        let script = directory.appendingPathComponent("server.py")
        try Data(Self.server.utf8).write(to: script)

        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, routesFile.path, cert, key]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = output.fileHandleForReading.availableLine()
        guard let port = line.flatMap({ Int($0) }) else {
            kill(process.processIdentifier, SIGKILL)
            throw TLSSiteError("the HTTPS test site did not start (printed \(line ?? "nothing"))")
        }
        self.port = port
    }

    public func url(_ path: String, host: String) -> String { "https://\(host):\(port)\(path)" }

    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    static let server = #"""
        import http.server, json, ssl, sys
        routes = json.load(open(sys.argv[1]))
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def do_GET(self):
                route = routes.get(self.path.split("?")[0])
                if route is None:
                    route = {"status": 404, "headers": [], "body": ""}
                body = route["body"].replace("{{PORT}}", str(server.server_address[1])).encode()
                self.send_response(route["status"])
                for name, value in route["headers"]:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            do_POST = do_GET
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}

public struct TLSSiteError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension FileHandle {
    /// One line read byte by byte (the child's first line), without its newline; nil at end of file.
    fileprivate func availableLine() -> String? {
        var bytes: [UInt8] = []
        while true {
            let chunk = readData(ofLength: 1)
            guard let byte = chunk.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
