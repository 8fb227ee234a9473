import Audit
import Charter
import CookieModel
import Foundation
import Knowledge
import Transport

/// What `inspect` prints: the hops of one visit, each Set-Cookie's fate, the cookies kept and their charter match.
struct Inspection {
    let exchange: Exchange
    let charters: CharterSet?
    let now: Date

    struct JSON: Encodable {
        let url: String
        let hops: [HopJSON]
        let cookies: [CookieJSON]
        let failure: FailureJSON?
    }

    struct HopJSON: Encodable {
        let url: String
        let status: Int
        let date: String?
        let remoteAddress: String?
        let tlsVersion: String?
        let setCookie: [SetCookieOutcomeJSON]
    }

    struct CookieJSON: Encodable {
        let name, domain, path, sameSite, valueShape: String
        let hostOnly, secure, httpOnly, partitioned: Bool
        let valueLength: Int
        let expires: String?
        let match: MatchJSON?
        /// What the Open Cookie Database says it usually is, when no charter entry declares it: a suggestion.
        var known: KnownJSON? = nil
    }

    struct KnownJSON: Encodable {
        /// "Google Analytics, statistics, usually 2 years", or "unknown: not in the Open Cookie Database".
        let summary: String
        let sources: [String]

        /// For a cookie no charter declares (nil when one does).
        static func make(_ name: String, match: MatchJSON?) -> KnownJSON? {
            guard match == nil || match?.kind == "undeclared" else { return nil }
            let known = CookieKnowledge.openCookieDatabase.lookup(name)
            guard !known.isEmpty else {
                return KnownJSON(summary: "unknown: not in the Open Cookie Database", sources: [])
            }
            return KnownJSON(summary: known.map(\.summary).joined(separator: "; or "), sources: known.map(\.citation))
        }

        var text: String {
            sources.isEmpty ? summary : "\(summary) (a suggestion to review, \(sources.joined(separator: ", ")))"
        }
    }

    struct MatchJSON: Encodable {
        let kind: String
        let entries: [String]
        let category: String?
        let declared: String?
    }

    struct FailureJSON: Encodable {
        let code, message, url: String
    }

    var json: JSON {
        JSON(
            url: exchange.request.url,
            hops: exchange.hops.map { hop in
                HopJSON(
                    url: hop.url, status: hop.status, date: hop.date.map(rfc3339), remoteAddress: hop.remoteAddress,
                    tlsVersion: hop.tlsVersion,
                    setCookie: hop.cookieOutcomes.map { SetCookieOutcomeJSON($0, responseTime: hop.date ?? now) })
            },
            cookies: exchange.jar.allCookies(at: now).map { c in
                let match = Self.match(c.name, charters)
                return CookieJSON(
                    name: c.name, domain: c.domain, path: c.path, sameSite: c.sameSite.rawValue,
                    valueShape: CookieValueShape.describe(c.value), hostOnly: c.hostOnly, secure: c.secure,
                    httpOnly: c.httpOnly,
                    partitioned: c.partitioned, valueLength: c.value.utf8.count, expires: c.expires.map(rfc3339),
                    match: match, known: KnownJSON.make(c.name, match: match))
            },
            failure: exchange.failure.map { FailureJSON(code: $0.code.rawValue, message: $0.message, url: $0.url) })
    }

    var text: String {
        let j = json
        var out = ""
        for (index, hop) in j.hops.enumerated() {
            out += "hop \(index + 1): \(hop.status) \(hop.url)\(hop.remoteAddress.map { " (\($0))" } ?? "")\n"
            for header in hop.setCookie { out += "  Set-Cookie " + header.text(indent: "  ") + "\n" }
        }
        if let failure = j.failure { out += "failed: \(failure.code): \(failure.message)\n" }
        out += "\nCookies a browser keeps: \(j.cookies.count)\n"
        for c in j.cookies {
            var flags = [c.hostOnly ? "host-only" : "domain", "path \(c.path)"]
            if c.secure { flags.append("Secure") }
            if c.httpOnly { flags.append("HttpOnly") }
            flags.append("SameSite=\(c.sameSite)")
            flags.append(c.expires.map { "expires \($0)" } ?? "session")
            out +=
                "  \(c.name) (\(c.valueLength) bytes, \(c.valueShape)) on \(c.domain): \(flags.joined(separator: "  "))\n"
            if let m = c.match {
                out += "    charter: \(m.kind)\(m.entries.isEmpty ? "" : " " + m.entries.joined(separator: ", "))"
                out += m.category.map { " (\($0)\(m.declared.map { ", declared \($0)" } ?? ""))" } ?? ""
                out += "\n"
            }
            if let known = c.known { out += "    known as: \(known.text)\n" }
        }
        return out
    }

    static func match(_ name: String, _ charters: CharterSet?) -> MatchJSON? {
        guard let charters else { return nil }
        switch charters.match(cookieName: name) {
        case .exact(let m):
            return MatchJSON(
                kind: "exact", entries: [m.entry.name.text], category: m.entry.category.rawValue,
                declared: m.entry.duration?.text)
        case .pattern(let m):
            return MatchJSON(
                kind: "pattern", entries: [m.entry.name.text], category: m.entry.category.rawValue,
                declared: m.entry.duration?.text)
        case .ambiguous(let ms):
            return MatchJSON(kind: "ambiguous", entries: ms.map(\.entry.name.text), category: nil, declared: nil)
        case .none: return MatchJSON(kind: "undeclared", entries: [], category: nil, declared: nil)
        }
    }

}
