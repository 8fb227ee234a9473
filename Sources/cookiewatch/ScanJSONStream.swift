import Audit
import CookieModel
import Foundation
import Scanning

/// `scan --format json`, streamed (docs/scan-json.md). Each page goes to a spool file as its visit
/// completes, one compact line with sorted keys; at the end the document is written with the pages in
/// configuration order, read back from the spool. What stays in memory per page is where its line lies
/// in the spool (12 bytes), so a scan of 100,000 pages does not hold 100,000 observations.
final class ScanJSONStream {
    private let spool: Spool
    /// By target index: the offset and length of the page's line in the spool.
    private var spans: [(offset: Int64, length: Int32)] = []

    init() throws { spool = try Spool() }

    /// Spools one page variant's JSON line.
    func add(index: Int, site: String, observation: PageObservation) throws {
        if index >= spans.count { spans += Array(repeating: (0, 0), count: index + 1 - spans.count) }
        let start = spool.offset
        try spool.append { Self.page(observation, site: site, into: &$0) }
        spans[index] = (start, Int32(spool.offset - start))
    }

    /// Writes the whole document to `output`: the report's sections around the spooled pages.
    func finish(_ report: ScanReport, to output: FileHandle) throws {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        func emit(_ text: String) throws {
            out.append(contentsOf: text.utf8)
            if out.count >= 1 << 16 {
                try output.write(contentsOf: out)
                out.removeAll(keepingCapacity: true)
            }
        }
        func member(_ key: String, _ value: some Encodable, last: Bool = false) throws {
            try emit("  \"\(key)\" : ")
            // One level deeper than the encoder writes it: two spaces after each line break.
            for byte in try encodeJSONBytes(value) {
                out.append(byte)
                if byte == 0x0A { out += [0x20, 0x20] }
            }
            try emit(last ? "\n" : ",\n")
        }
        /// An array member, one compact element per line.
        func array<Element>(
            _ key: String, _ elements: [Element], _ write: (Element, inout [UInt8]) throws -> Void
        ) throws {
            try emit("  \"\(key)\" : [")
            for (n, element) in elements.enumerated() {
                try emit(n == 0 ? "\n    " : ",\n    ")
                try write(element, &out)
            }
            try emit(elements.isEmpty ? "],\n" : "\n  ],\n")
        }
        // Written out as it fills, inside one cookie's or finding's page list too: a list of 100,000
        // pages is 5 MB of text.
        let drain = { (buffer: inout [UInt8]) throws in
            guard buffer.count >= 1 << 16 else { return }
            try output.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        try emit("{\n")
        try member("complete", report.isComplete)
        try array("cookies", report.sites.flatMap { site in site.audit.cookies.map { (site.name, $0) } }) {
            try Self.cookie($0.1, site: $0.0, into: &$1, drain: drain)
        }
        try array("findings", report.findings) { try Self.finding($0, into: &$1, drain: drain) }
        try member("findingsOmitted", report.omittedJSON)
        try emit("  \"pages\" : [")
        var first = true
        for span in spans where span.length > 0 {
            out.append(contentsOf: first ? "\n    ".utf8 : ",\n    ".utf8)
            first = false
            out += try spool.read(at: span.offset, length: Int(span.length))
            try drain(&out)
        }
        try emit(first ? "],\n" : "\n  ],\n")
        try member("scannedAt", rfc3339(report.scannedAt))
        try member("summary", report.summary, last: true)
        try emit("}\n")
        try output.write(contentsOf: out)
    }

    // MARK: - Cookies and findings, compact, keys sorted

    /// `drain` may write out and empty the buffer between pages of the cookie's page list.
    static func cookie(
        _ c: AuditedCookie, site: String, into out: inout [UInt8], drain: (inout [UInt8]) throws -> Void = { _ in }
    ) rethrows {
        var object = JSONText.Object(into: &out)
        if let category = c.category { object.string("category", category.rawValue, into: &out) }
        if let declared = c.declared { object.string("declared", declared.text, into: &out) }
        object.string("domain", c.domain, into: &out)
        if let entry = c.entry { object.string("entry", entry, into: &out) }
        object.key("findings", into: &out)
        JSONText.strings(c.findings.map(\.rawValue).sorted(), into: &out)
        object.bool("hostOnly", c.hostOnly, into: &out)
        object.bool("httpOnly", c.httpOnly, into: &out)
        if let lifetime = c.lifetime { object.raw("lifetimeSeconds", String(lifetime), into: &out) }
        object.string("name", c.name, into: &out)
        object.key("pages", into: &out)
        try pages(c.pages, into: &out, drain: drain)
        object.string("path", c.path, into: &out)
        object.string("sameSite", c.sameSite.rawValue, into: &out)
        object.bool("secure", c.secure, into: &out)
        object.string("setBy", c.setBy, into: &out)
        object.bool("setOnRedirect", c.setOnRedirect, into: &out)
        object.string("site", site, into: &out)
        object.end(into: &out)
    }

    static func finding(_ f: Finding, into out: inout [UInt8], drain: (inout [UInt8]) throws -> Void = { _ in })
        rethrows
    {
        var object = JSONText.Object(into: &out)
        if let cookie = f.cookie { object.string("cookie", cookie, into: &out) }
        object.key("evidence", into: &out)
        out.append(UInt8(ascii: "["))
        for (n, evidence) in f.evidence.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            var item = JSONText.Object(into: &out)
            item.key("attributes", into: &out)
            var attributes = JSONText.Object(into: &out)
            for (key, value) in evidence.attributes.sorted(by: { $0.key < $1.key }) {
                attributes.key(escaping: key, into: &out)
                JSONText.string(value, into: &out)
            }
            attributes.end(into: &out)
            item.string("hopUrl", evidence.hopURL, into: &out)
            item.key("page", into: &out)
            page(evidence.page, into: &out)
            item.raw("status", String(evidence.status), into: &out)
            if let length = evidence.valueLength { item.raw("valueLength", String(length), into: &out) }
            if let shape = evidence.valueShape { item.string("valueShape", shape, into: &out) }
            item.end(into: &out)
        }
        out.append(UInt8(ascii: "]"))
        object.string("id", f.id, into: &out)
        object.string("kind", f.kind.rawValue, into: &out)
        object.string("message", f.message, into: &out)
        object.key("pages", into: &out)
        try pages(f.pages, into: &out, drain: drain)
        object.string("severity", f.severity.rawValue, into: &out)
        object.string("site", f.site, into: &out)
        object.end(into: &out)
    }

    /// `{"url":...,"variant":...}`: written for every page of every cookie's and finding's list (most
    /// of a large scan's output), so its fixed parts go in whole.
    static func page(_ page: PageRef, into out: inout [UInt8]) {
        out.append(contentsOf: urlKey)
        JSONText.string(page.url, into: &out)
        out.append(contentsOf: variantKey)
        JSONText.string(page.variant, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    private static let urlKey = Array(#"{"url":"#.utf8)
    private static let variantKey = Array(#","variant":"#.utf8)

    static func pages(
        _ pages: some Collection<PageRef>, into out: inout [UInt8], drain: (inout [UInt8]) throws -> Void
    ) rethrows {
        out.append(UInt8(ascii: "["))
        for (n, element) in pages.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            page(element, into: &out)
            if n % 256 == 255 { try drain(&out) }
        }
        out.append(UInt8(ascii: "]"))
    }

    // MARK: - One page, compact, keys sorted

    static func page(_ o: PageObservation, site: String, into out: inout [UInt8]) {
        var object = JSONText.Object(into: &out)
        object.bool("consentGiven", o.consentGiven, into: &out)
        if !o.disagreements.isEmpty {
            object.key("disagreements", into: &out)
            JSONText.array(o.disagreements, into: &out) { d, out in
                var item = JSONText.Object(into: &out)
                item.string("browser", d.browser, into: &out)
                item.string("cookie", d.cookie, into: &out)
                item.string("model", d.model, into: &out)
                item.string("url", d.url, into: &out)
                item.end(into: &out)
            }
        }
        object.string("engine", o.runsScripts ? "browser" : "http", into: &out)
        if let failure = o.failure {
            object.key("failure", into: &out)
            var inner = JSONText.Object(into: &out)
            inner.string("code", failure.code, into: &out)
            inner.string("message", failure.message, into: &out)
            inner.string("url", failure.url, into: &out)
            inner.end(into: &out)
        }
        object.key("hops", into: &out)
        JSONText.array(o.hops, into: &out) { hop($0, into: &$1) }
        object.string("site", site, into: &out)
        if !o.storage.isEmpty {
            object.key("storage", into: &out)
            JSONText.array(o.storage, into: &out) { s, out in
                var item = JSONText.Object(into: &out)
                item.key("localStorage", into: &out)
                JSONText.strings(s.localKeys, into: &out)
                item.string("origin", s.origin, into: &out)
                item.key("sessionStorage", into: &out)
                JSONText.strings(s.sessionKeys, into: &out)
                item.end(into: &out)
            }
        }
        object.string("url", o.page.url, into: &out)
        object.string("variant", o.page.variant, into: &out)
        object.end(into: &out)
    }

    private static func hop(_ hop: ObservedHop, into out: inout [UInt8]) {
        var stored: [String] = []
        var deleted: [String] = []
        var rejected: [CookieRejection] = []
        for outcome in hop.outcomes {
            switch outcome.decision {
            case .stored(let cookie, _): stored.append(cookie.name)
            case .deleted(let key, _): deleted.append(key.name)
            case .rejected(let rejection): rejected.append(rejection)
            }
        }
        var object = JSONText.Object(into: &out)
        if let date = hop.date { object.string("date", rfc3339(date), into: &out) }
        object.key("deleted", into: &out)
        JSONText.strings(deleted, into: &out)
        object.key("rejected", into: &out)
        JSONText.array(rejected, into: &out) { rejection, out in
            var item = JSONText.Object(into: &out)
            item.string("message", rejection.message, into: &out)
            if let name = rejection.cookieName { item.string("name", name, into: &out) }
            item.string("reason", rejection.reason.rawValue, into: &out)
            item.end(into: &out)
        }
        if hop.source != .navigation { object.string("setBy", hop.setBy, into: &out) }
        object.string("source", hop.source.kind, into: &out)
        object.raw("status", String(hop.status), into: &out)
        object.key("stored", into: &out)
        JSONText.strings(stored, into: &out)
        object.string("url", hop.url.description, into: &out)
        object.end(into: &out)
    }
}
