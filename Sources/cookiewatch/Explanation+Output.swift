import CookieModel
import Foundation

extension Explanation {
    /// The JSON shape documented in the README.
    struct JSON: Encodable {
        let url: String
        let now: String
        let headers: [Header]
        let cookies: [Cookie]
        let request: Request?
    }

    struct Header: Encodable {
        let line: Int
        let name: String?
        let outcome: String
        let reason: String?
        let message: String?
        let notes: [String]
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
            url: url.description, now: Self.time(now), headers: lines.map(header),
            cookies: cookies.map { c in
                Cookie(name: c.name, value: c.value, domain: c.domain, path: c.path, sameSite: c.sameSite.rawValue,
                    hostOnly: c.hostOnly, secure: c.secure, httpOnly: c.httpOnly, partitioned: c.partitioned,
                    persistent: c.isPersistent, expires: c.expires.map(Self.time))
            },
            request: request.map { Request(url: $0.description, cookieHeader: cookieHeader) })
    }

    var text: String {
        var out = "Set-Cookie from \(url) at \(Self.time(now)): \(lines.count) header\(lines.count == 1 ? "" : "s")\n"
        for line in lines {
            let h = header(line)
            out += "  line \(h.line): \(h.outcome.padding(toLength: 8, withPad: " ", startingAt: 0)) \(h.name.map { $0.isEmpty ? "(no name)" : $0 } ?? "")"
            if let reason = h.reason, let message = h.message { out += "\n      \(reason): \(message)" }
            for note in h.notes { out += "\n      note: \(note)" }
            out += "\n"
        }
        out += "\nStored cookies: \(cookies.count)\n"
        for c in cookies {
            var flags = [c.hostOnly ? "host-only" : "domain", "path \(c.path)"]
            if c.secure { flags.append("Secure") }
            if c.httpOnly { flags.append("HttpOnly") }
            flags.append("SameSite=\(c.sameSite.rawValue)")
            if c.partitioned { flags.append("Partitioned") }
            flags.append(c.expires.map { "expires \(Self.time($0)) (\(Self.lifetime($0.timeIntervalSince(now))))" } ?? "session")
            out += "  \(c.name.isEmpty ? "(no name)" : c.name)=\(c.value)\n      \(c.domain)  \(flags.joined(separator: "  "))\n"
        }
        if let request {
            out += "\nCookie header for \(request): \(cookieHeader ?? "(none)")\n"
        }
        return out
    }

    private func header(_ line: Line) -> Header {
        var notes = line.outcome.setCookie?.notes.map(\.description) ?? []
        if let asked = line.outcome.setCookie?.requestedLifetime(from: now), asked > CookieJar.lifetimeCap {
            notes.append("the site asks for \(Self.lifetime(TimeInterval(asked))); browsers cap lifetimes at 400 days")
        }
        switch line.outcome.decision {
        case .stored(let cookie, let replaced):
            return Header(line: line.number, name: cookie.name, outcome: replaced ? "replaced" : "stored", reason: nil, message: nil, notes: notes)
        case .deleted(let key, let existed):
            return Header(
                line: line.number, name: key.name, outcome: "deleted", reason: existed ? "deleted" : "expired-on-arrival",
                message: existed ? "expired on arrival: removes the stored cookie" : "expired on arrival: nothing to remove",
                notes: notes)
        case .rejected(let rejection):
            return Header(line: line.number, name: rejection.cookieName, outcome: "rejected", reason: rejection.reason.rawValue,
                message: rejection.message, notes: notes)
        }
    }

    static func time(_ date: Date) -> String { CivilTime.rfc3339(Int64(date.timeIntervalSince1970.rounded(.down))) }

    /// "14d", "3h", "45s": enough to read a lifetime at a glance.
    static func lifetime(_ seconds: TimeInterval) -> String {
        let s = Int64(seconds)
        if s >= 86_400 { return "\(s / 86_400)d" }
        if s >= 3600 { return "\(s / 3600)h" }
        if s >= 60 { return "\(s / 60)m" }
        return "\(s)s"
    }
}
