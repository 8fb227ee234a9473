import Audit
import CookieModel
import Foundation

extension Explanation {
    /// The JSON shape documented in the README.
    struct JSON: Encodable {
        let url: String
        let now: String
        let headers: [SetCookieOutcomeJSON]
        let cookies: [Cookie]
        let request: Request?
    }

    struct Cookie: Encodable {
        let name, value, domain, path, sameSite: String
        let hostOnly, secure, httpOnly, partitioned, persistent: Bool
        let expires: String?
    }

    struct Request: Encodable {
        let url: String
        let cookieHeader: String?
    }

    var json: JSON {
        JSON(
            url: url.description, now: rfc3339(now),
            headers: lines.map { SetCookieOutcomeJSON($0.outcome, line: $0.number, responseTime: now) },
            cookies: cookies.map { c in
                Cookie(
                    name: c.name, value: c.value, domain: c.domain, path: c.path, sameSite: c.sameSite.rawValue,
                    hostOnly: c.hostOnly, secure: c.secure, httpOnly: c.httpOnly, partitioned: c.partitioned,
                    persistent: c.isPersistent, expires: c.expires.map(rfc3339))
            },
            request: request.map { Request(url: $0.description, cookieHeader: cookieHeader) })
    }

    var text: String {
        var out = "Set-Cookie from \(url) at \(rfc3339(now)): \(lines.count) header\(lines.count == 1 ? "" : "s")\n"
        for line in lines {
            out +=
                "  line \(line.number): " + SetCookieOutcomeJSON(line.outcome, responseTime: now).text(indent: "    ")
                + "\n"
        }
        out += "\nStored cookies: \(cookies.count)\n"
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
        if let request {
            out += "\nCookie header for \(request): \(cookieHeader ?? "(none)")\n"
        }
        return out
    }
}
