import Audit
import Browser
import Charter
import CookieModel
import Foundation

/// What `inspect --engine browser` prints: every response and script write with its cookies, who set
/// each (navigation, subresource, script) and its party, Chromium's verdict beside the model's, the
/// browser's final store, storage key names and what the address policy refused.
struct BrowserInspection {
    let url: String
    let observation: PageObservation
    let capture: BrowserCapture
    let charters: CharterSet?
    let now: Date

    struct JSON: Encodable {
        let url: String
        let engine = "browser"
        let events: [EventJSON]
        let finalStore: [StoredJSON]
        let storage: [StorageJSON]
        let refused: [String]
        let disagreements: [DisagreementJSON]
        let failure: Inspection.FailureJSON?
    }

    struct EventJSON: Encodable {
        let source: String
        let url: String
        let setBy: String
        let status: Int?
        let party: String
        let setCookie: [SetCookieOutcomeJSON]
    }

    struct StoredJSON: Encodable {
        let name, domain, path: String
        let secure, httpOnly, partitioned: Bool
        let sameSite: String?
        let valueLength: Int
        let valueShape: String
        let expires: String?
        let match: Inspection.MatchJSON?
    }

    struct StorageJSON: Encodable {
        let origin: String
        let localStorage, sessionStorage: [String]
    }

    struct DisagreementJSON: Encodable {
        let cookie, url, model, browser: String
    }

    var json: JSON {
        let site = (try? CookieURL(parsing: capture.finalURL ?? url)).map { registrable($0.host) }
        return JSON(
            url: url,
            events: observation.hops.map { hop in
                EventJSON(
                    source: hop.source.kind, url: hop.url.description, setBy: hop.setBy,
                    status: hop.status == 0 ? nil : hop.status,
                    party: registrable(hop.url.host) == site ? "first" : "third",
                    setCookie: hop.outcomes.map { SetCookieOutcomeJSON($0, responseTime: hop.date ?? now) })
            },
            finalStore: capture.finalCookies.map { c in
                StoredJSON(
                    name: c.name, domain: c.domain, path: c.path, secure: c.secure, httpOnly: c.httpOnly,
                    partitioned: c.partitionTopLevelSite != nil, sameSite: c.sameSite,
                    valueLength: c.value.utf8.count, valueShape: CookieValueShape.describe(c.value),
                    expires: c.expires.map { rfc3339(Date(timeIntervalSince1970: $0)) },
                    match: Inspection.match(c.name, charters))
            },
            storage: observation.storage.map {
                StorageJSON(origin: $0.origin, localStorage: $0.localKeys, sessionStorage: $0.sessionKeys)
            },
            refused: capture.refused,
            disagreements: observation.disagreements.map {
                DisagreementJSON(cookie: $0.cookie, url: $0.url, model: $0.model, browser: $0.browser)
            },
            failure: observation.failure.map { .init(code: $0.code, message: $0.message, url: $0.url) })
    }

    var text: String {
        let j = json
        var out = ""
        for (index, event) in j.events.enumerated() {
            let status = event.status.map { "\($0) " } ?? ""
            out += "\(index + 1). \(event.source) (\(event.party) party): \(status)\(event.setBy)\n"
            for header in event.setCookie { out += "  Set-Cookie " + header.text(indent: "  ") + "\n" }
        }
        if let failure = j.failure { out += "failed: \(failure.code): \(failure.message)\n" }
        out += "\nChromium's store at the end: \(j.finalStore.count) cookie\(j.finalStore.count == 1 ? "" : "s")\n"
        for c in j.finalStore {
            var flags = ["path \(c.path)"]
            if c.secure { flags.append("Secure") }
            if c.httpOnly { flags.append("HttpOnly") }
            if c.partitioned { flags.append("Partitioned") }
            flags.append("SameSite=\(c.sameSite ?? "unspecified")")
            flags.append(c.expires.map { "expires \($0)" } ?? "session")
            out +=
                "  \(c.name) (\(c.valueLength) bytes, \(c.valueShape)) on \(c.domain): \(flags.joined(separator: "  "))\n"
            if let m = c.match {
                out += "    charter: \(m.kind)\(m.entries.isEmpty ? "" : " " + m.entries.joined(separator: ", "))\n"
            }
        }
        for s in j.storage {
            out += "Storage of \(s.origin): localStorage \(s.localStorage), sessionStorage \(s.sessionStorage)\n"
        }
        for refusal in j.refused { out += "Refused by the address policy: \(refusal)\n" }
        out +=
            "Chromium and the cookie model disagree on \(j.disagreements.count) line\(j.disagreements.count == 1 ? "" : "s")\n"
        for d in j.disagreements { out += "  \(d.cookie) at \(d.url): model \(d.model), Chromium \(d.browser)\n" }
        return out
    }

    private func registrable(_ host: String) -> String {
        SystemPublicSuffixList.shared.registrableDomain(host) ?? host
    }
}
