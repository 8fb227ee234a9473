/// A scripted HTTP/1.1 response: status, headers in the order given, body, and an optional delay.
public struct Response: Sendable, Hashable {
    public var status: Int
    public var reason: String
    public var headers: [HeaderLine]
    public var body: [UInt8]
    /// Time to wait before answering (the request counts as in flight meanwhile).
    public var delay: Duration

    public init(
        status: Int = 200, reason: String? = nil, headers: [HeaderLine] = [], body: String = "", delay: Duration = .zero
    ) {
        self.status = status
        self.reason = reason ?? Self.reason(for: status)
        self.headers = headers
        self.body = Array(body.utf8)
        self.delay = delay
    }

    /// A 200 HTML page setting `setCookies` (each a full `Set-Cookie` value), in order.
    public static func page(_ body: String = "<!doctype html><title>ok</title>", setCookies: [String] = []) -> Response
    {
        Response(
            headers: [HeaderLine("Content-Type", "text/html; charset=utf-8")]
                + setCookies.map { HeaderLine("Set-Cookie", $0) }, body: body)
    }

    /// A redirect to `location` setting `setCookies`, in order.
    public static func redirect(to location: String, status: Int = 302, setCookies: [String] = []) -> Response {
        Response(
            status: status,
            headers: [HeaderLine("Location", location)] + setCookies.map { HeaderLine("Set-Cookie", $0) })
    }

    /// The status line and headers, with `Content-Length` added unless the script framed the body itself.
    func head(endless: Bool = false) -> [UInt8] {
        var bytes = Array("HTTP/1.1 \(status) \(reason)\r\n".utf8)
        for header in headers {
            bytes += Array(header.name.utf8) + Array(": ".utf8) + header.value + [0x0D, 0x0A]
        }
        if endless {
            bytes += Array("Connection: close\r\n".utf8)
        } else if !headers.contains(where: { ["content-length", "transfer-encoding"].contains($0.name.lowercased()) }) {
            bytes += Array("Content-Length: \(body.count)\r\n".utf8)
        }
        return bytes + [0x0D, 0x0A]
    }

    static func reason(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 500: "Internal Server Error"
        default: "Status"
        }
    }
}
