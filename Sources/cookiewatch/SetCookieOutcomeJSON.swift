import Audit
import CookieModel
import Foundation

/// One Set-Cookie header's fate as `explain` and `inspect` print it: stored, replaced, deleted or rejected.
struct SetCookieOutcomeJSON: Encodable {
    /// The input line (`explain` only).
    let line: Int?
    /// Absent when the header was dropped before its name was read.
    let name: String?
    let outcome: String
    let reason: String?
    let message: String?
    /// Attributes the browser ignored, and a lifetime it capped; never the value.
    let notes: [String]

    init(_ stored: StorageOutcome, line: Int? = nil, responseTime: Date) {
        var notes = stored.setCookie?.notes.map(\.description) ?? []
        if let asked = stored.setCookie?.requestedLifetime(from: responseTime), asked > CookieJar.lifetimeCap {
            notes.append("the site asks for \(LifetimeText.describe(asked)); browsers cap lifetimes at 400 days")
        }
        self.line = line
        self.notes = notes
        switch stored.decision {
        case .stored(let cookie, let replaced):
            (name, outcome, reason, message) = (cookie.name, replaced ? "replaced" : "stored", nil, nil)
        case .deleted(let key, let existed):
            (name, outcome) = (key.name, "deleted")
            reason = existed ? "deleted" : "expired-on-arrival"
            message =
                existed ? "expired on arrival: removes the stored cookie" : "expired on arrival: nothing to remove"
        case .rejected(let rejection):
            (name, outcome, reason, message) = (
                rejection.cookieName, "rejected", rejection.reason.rawValue, rejection.message
            )
        }
    }

    /// `name: outcome`, then the reason and the notes on their own indented lines.
    func text(indent: String) -> String {
        var out = "\(name.map { $0.isEmpty ? "(no name)" : $0 } ?? "(unreadable)"): \(outcome)"
        if let reason, let message { out += "\n\(indent)  \(reason): \(message)" }
        for note in notes { out += "\n\(indent)  note: \(note)" }
        return out
    }

    /// The same object, compact, keys sorted: what `explain --format json` streams for each header.
    func writeJSON(into out: inout [UInt8]) {
        var object = JSONText.Object(into: &out)
        if let line { object.raw("line", String(line), into: &out) }
        if let message { object.string("message", message, into: &out) }
        if let name { object.string("name", name, into: &out) }
        object.key("notes", into: &out)
        JSONText.strings(notes, into: &out)
        object.string("outcome", outcome, into: &out)
        if let reason { object.string("reason", reason, into: &out) }
        object.end(into: &out)
    }
}
