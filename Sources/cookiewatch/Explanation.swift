import Audit
import CookieModel
import Foundation

/// What `explain` does, streamed: standard input is read in chunks of 1 MiB, each header's fate is
/// decided by one cookie jar and written to a spool as it is decided, and the output is assembled at
/// the end, when the count, the final store and the Cookie header are known. Memory holds the jar (at
/// most 3,000 cookies) and one chunk, whatever the input's size.
struct Explanation {
    let url: CookieURL
    let now: Date
    let request: CookieURL?
    let format: OutputFormat
    private var jar = CookieJar()
    private let spool: Spool
    private var number = 0
    private(set) var headers = 0

    init(url: CookieURL, now: Date, request: CookieURL?, format: OutputFormat) throws {
        self.url = url
        self.now = now
        self.request = request
        self.format = format
        spool = try Spool()
    }

    /// Reads `input` to its end, then writes the result to `output`.
    static func run(
        from url: CookieURL, at now: Date, request: CookieURL?, format: OutputFormat, input: FileHandle,
        output: FileHandle
    ) throws {
        var explanation = try Explanation(url: url, now: now, request: request, format: format)
        var carry: [UInt8] = []
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            var bytes = carry
            bytes.append(contentsOf: chunk)
            var start = 0
            while let end = bytes[start...].firstIndex(of: 0x0A) {
                try explanation.receive(bytes[start..<end])
                start = end + 1
            }
            carry = Array(bytes[start...])
        }
        if !carry.isEmpty { try explanation.receive(carry[...]) }
        try explanation.finish(to: output)
    }

    /// One input line: a `Set-Cookie` value (a leading `Set-Cookie:` and a final CR are dropped,
    /// blank lines skipped).
    mutating func receive(_ raw: ArraySlice<UInt8>) throws {
        number += 1
        var line = raw
        if line.last == 0x0D { line = line.dropLast() }  // CRLF files
        if Self.startsWithHeaderName(line) { line = line.dropFirst(11) }
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        let outcome = SetCookieOutcomeJSON(
            jar.receive(setCookieBytes: line, from: url, at: now), line: number, responseTime: now)
        let first = headers == 0
        headers += 1
        switch format {
        case .json:
            try spool.append { out in
                out.append(contentsOf: (first ? "\n    " : ",\n    ").utf8)
                outcome.writeJSON(into: &out)
            }
        case .text:
            try spool.append { $0 += Array("  line \(outcome.line ?? number): \(outcome.text(indent: "    "))\n".utf8) }
        }
    }

    /// `Set-Cookie:` in any case, compared in place.
    static func startsWithHeaderName(_ line: ArraySlice<UInt8>) -> Bool {
        guard line.count >= 11 else { return false }
        var index = line.startIndex
        for expected in "set-cookie:".utf8 {
            guard line[index] | 0x20 == expected | 0x20 else { return false }
            index += 1
        }
        return true
    }

    func finish(to output: FileHandle) throws {
        let cookies = jar.allCookies(at: now)
        let cookieHeader = request.flatMap { jar.cookieHeader(for: $0, at: now) }
        switch format {
        case .json:
            var head: [UInt8] = Array("{\n  \"cookies\" : ".utf8)
            for byte in try encodeJSONBytes(cookies.map(Self.cookieJSON)) {
                head.append(byte)
                if byte == 0x0A { head += [0x20, 0x20] }
            }
            head += Array(",\n  \"headers\" : [".utf8)
            try output.write(contentsOf: head)
            try spool.copyAll(to: output)
            var tail = headers == 0 ? "],\n" : "\n  ],\n"
            tail += "  \"now\" : \"\(rfc3339(now))\",\n"
            if let request {
                let value = try encodeJSON(Request(url: request.description, cookieHeader: cookieHeader))
                tail += "  \"request\" : \(value.replacingOccurrences(of: "\n", with: "\n  ")),\n"
            }
            tail += "  \"url\" : \(try encodeJSON(url.description))\n}\n"
            try output.write(contentsOf: Array(tail.utf8))
        case .text:
            let head = "Set-Cookie from \(url) at \(rfc3339(now)): \(headers) header\(headers == 1 ? "" : "s")\n"
            try output.write(contentsOf: Array(head.utf8))
            try spool.copyAll(to: output)
            try output.write(contentsOf: Array(storeText(cookies, cookieHeader: cookieHeader).utf8))
        }
    }

    // MARK: - The final store

    /// The JSON shape documented in the README.
    struct Cookie: Encodable {
        let name, value, domain, path, sameSite: String
        let hostOnly, secure, httpOnly, partitioned, persistent: Bool
        let expires: String?
    }

    struct Request: Encodable {
        let url: String
        let cookieHeader: String?
    }

    static func cookieJSON(_ c: StoredCookie) -> Cookie {
        Cookie(
            name: c.name, value: c.value, domain: c.domain, path: c.path, sameSite: c.sameSite.rawValue,
            hostOnly: c.hostOnly, secure: c.secure, httpOnly: c.httpOnly, partitioned: c.partitioned,
            persistent: c.isPersistent, expires: c.expires.map(rfc3339))
    }

    func storeText(_ cookies: [StoredCookie], cookieHeader: String?) -> String {
        var out = "\nStored cookies: \(cookies.count)\n"
        for c in cookies {
            var flags = [c.hostOnly ? "host-only" : "domain", "path \(c.path)"]
            if c.secure { flags.append("Secure") }
            if c.httpOnly { flags.append("HttpOnly") }
            flags.append("SameSite=\(c.sameSite.rawValue)")
            if c.partitioned { flags.append("Partitioned") }
            flags.append(
                c.expires.map {
                    "expires \(rfc3339($0)) (\(LifetimeText.describe(Int64($0.timeIntervalSince(now).rounded()))))"
                } ?? "session")
            out +=
                "  \(c.name.isEmpty ? "(no name)" : c.name)=\(c.value)\n      \(c.domain)  \(flags.joined(separator: "  "))\n"
        }
        if let request { out += "\nCookie header for \(request): \(cookieHeader ?? "(none)")\n" }
        return out
    }
}
