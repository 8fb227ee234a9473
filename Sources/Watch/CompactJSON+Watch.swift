import Audit
import CookieModel
import Foundation

// The daemon's per-visit JSON, written by hand: each history line, the cookie-list digest's canonical
// bytes and each page's journal line. Keys in JSONEncoder's sorted order; the `Codable` conformances
// stay the readers' (and the rest's writers'), and `CompactJSONTests` holds the two byte-identical.

extension CookieIdentity {
    func write(to json: inout CompactJSON) {
        Self.write(domain: domain, hostOnly: hostOnly, name: name, path: path, to: &json)
    }

    static func write(domain: String, hostOnly: Bool, name: String, path: String, to json: inout CompactJSON) {
        json.beginObject()
        json.member("domain", domain)
        json.member("hostOnly", hostOnly)
        json.member("name", name)
        json.member("path", path)
        json.endObject()
    }
}

extension CookieAttributes {
    func write(to json: inout CompactJSON) {
        json.beginObject()
        json.member("httpOnly", httpOnly)
        json.member("lifetime", lifetime)
        json.member("partitioned", partitioned)
        json.member("sameSite", sameSite.rawValue)
        json.member("secure", secure)
        json.member("setBy", setBy)
        json.member("valueShape", valueShape)
        json.endObject()
    }
}

extension HistoryCookie {
    /// Flat: identity, attributes and value facts in one object. `valueShape` is both an attribute and
    /// the cookie's own; the cookie's, written last, is the one JSONEncoder keeps.
    func write(to json: inout CompactJSON) {
        json.beginObject()
        json.member("domain", domain)
        json.member("hostOnly", hostOnly)
        json.member("httpOnly", attributes.httpOnly)
        json.member("lifetime", attributes.lifetime)
        json.member("name", name)
        json.member("partitioned", attributes.partitioned)
        json.member("path", path)
        json.member("sameSite", attributes.sameSite.rawValue)
        json.member("secure", attributes.secure)
        json.member("setBy", attributes.setBy)
        json.member("valueFingerprint", valueFingerprint)
        json.member("valueLength", valueLength)
        json.member("valueShape", valueShape)
        json.endObject()
    }
}

extension CompactJSON {
    /// `[cookie,...]`, each written where it lies in the array: through `array`'s closure each was
    /// copied out first (a retain and a release of each of its strings).
    mutating func cookies(_ cookies: [HistoryCookie]) {
        beginArray()
        for index in cookies.indices { cookies[index].write(to: &self) }
        endArray()
    }
}

extension DriftEvent {
    func write(to json: inout CompactJSON) {
        json.beginObject()
        if let after {
            json.key("after")
            after.write(to: &json)
        }
        if let before {
            json.key("before")
            before.write(to: &json)
        }
        json.member("change", change.rawValue)
        json.key("cookie")
        cookie.write(to: &json)
        json.endObject()
    }
}

extension HistoryRecord {
    /// The line as `Codable` writes it; see `line()`.
    func write(to json: inout CompactJSON) {
        json.beginObject()
        switch outcome {
        case .cookies(let digest, let cookies, let drift):
            if let baselineDrift {
                json.key("baselineDrift")
                json.array(baselineDrift) { $0.write(to: &$1) }
            }
            json.key("cookies")
            json.cookies(cookies)
            json.member("digest", digest)
            json.key("drift")
            json.array(drift) { $0.write(to: &$1) }
        case .unchanged(let digest):
            json.member("digest", digest)
        case .failure(let failure):
            json.key("failure")
            json.beginObject()
            json.member("code", failure.code)
            json.member("message", failure.message)
            json.member("url", failure.url)
            json.endObject()
        }
        json.member("formatVersion", formatVersion)
        json.member("page", page.url)
        json.member("prev", prev)
        json.member("site", site)
        json.member("time", time)
        json.member("type", Self.lineType(outcome))
        json.member("variant", page.variant)
        json.endObject()
    }

    private static func lineType(_ outcome: Outcome) -> String {
        switch outcome {
        case .cookies: "cookies"
        case .unchanged: "unchanged"
        case .failure: "failure"
        }
    }

    /// The canonical bytes `digest(of:)` hashes: `[{"attributes":{...},"cookie":{...}}, ...]` in the
    /// given order.
    static func canonicalBytes(_ cookies: [HistoryCookie]) -> [UInt8] {
        var json = CompactJSON(capacity: 256 * cookies.count + 2)
        json.beginArray()
        for index in cookies.indices {
            json.beginObject()
            json.key("attributes")
            cookies[index].attributes.write(to: &json)
            json.key("cookie")
            CookieIdentity.write(
                domain: cookies[index].domain, hostOnly: cookies[index].hostOnly, name: cookies[index].name,
                path: cookies[index].path, to: &json)
            json.endObject()
        }
        json.endArray()
        return json.bytes
    }
}

extension PageState {
    func write(to json: inout CompactJSON) {
        json.beginObject()
        json.member("consecutiveFailures", consecutiveFailures)
        if let lastCookies {
            json.key("lastCookies")
            json.cookies(lastCookies)
        }
        if let lastDigest { json.member("lastDigest", lastDigest) }
        if let nextDue { json.member("nextDue", nextDue) }
        json.key("page")
        json.beginObject()
        json.member("url", page.url)
        json.member("variant", page.variant)
        json.endObject()
        json.member("site", site)
        json.endObject()
    }
}

extension StateChange {
    /// The journal line, without its newline: a page's (most lines) written by hand, the rest by
    /// JSONEncoder.
    func line() -> [UInt8] {
        guard case .page(let page) = self else { return WatchJSON.encode(self) }
        var json = CompactJSON(capacity: 1_024)
        json.beginObject()
        json.key("page")
        page.write(to: &json)
        json.endObject()
        return json.bytes
    }
}

extension WatchState {
    /// `state.json`'s bytes: compact JSON with one page variant (and one pending event) per line, so
    /// that a snapshot of 100,000 pages is written at the journal's speed and still reads with `grep`
    /// and `jq`. Any layout loads: the reader is JSONDecoder.
    func snapshotBytes() -> [UInt8] { Array(snapshotChunks().joined()) }

    /// `snapshotBytes` in chunks of about `limit` bytes, made as they are asked for: a large state's
    /// snapshot is not whole in memory when it is written or compared with the file at load (it was the
    /// daemon's largest allocation).
    func snapshotChunks(limit: Int = 1 << 20) -> SnapshotChunks { SnapshotChunks(state: self, limit: limit) }

    struct SnapshotChunks: Sequence, IteratorProtocol {
        let state: WatchState
        let limit: Int
        private var json: CompactJSON
        private var part = Part.head
        private var index = 0

        private enum Part { case head, pages, pending, done }

        init(state: WatchState, limit: Int) {
            precondition(limit > 0, "a snapshot chunk holds at least one byte")
            self.state = state
            self.limit = limit
            json = CompactJSON(capacity: limit + 4_096)
        }

        mutating func next() -> [UInt8]? {
            while json.count < limit, part != .done { writeNext() }
            return json.count == 0 ? nil : json.takeBytes()
        }

        private mutating func writeNext() {
            switch part {
            case .head:
                json.beginObject()
                json.separateLine()
                json.key("alerts")
                json.raw(WatchJSON.encode(state.alerts))
                json.separateLine()
                json.member("formatVersion", state.formatVersion)
                if let outbox = state.outbox {
                    json.separateLine()
                    json.key("outbox")
                    json.raw(WatchJSON.encode(outbox))
                }
                json.separateLine()
                json.key("pages")
                json.beginArray()
                part = .pages
            case .pages where index < state.pages.count:
                json.separateLine()
                state.pages[index].write(to: &json)
                index += 1
            case .pages:
                json.lineBreak()
                json.endArray()
                index = 0
                part = .pending
                guard state.webhookPending != nil else { break }
                json.separateLine()
                json.key("webhookPending")
                json.beginArray()
            case .pending where index < state.webhookPending?.count ?? 0:
                if let event = state.webhookPending?[index] {
                    json.separateLine()
                    json.raw(WatchJSON.encode(event))
                }
                index += 1
            case .pending:
                if state.webhookPending != nil {
                    json.lineBreak()
                    json.endArray()
                }
                json.lineBreak()
                json.endObject()
                json.lineBreak()
                part = .done
            case .done:
                break
            }
        }
    }
}
