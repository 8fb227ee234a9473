import StrictJSON

/// Turns one visit's DevTools events into a `BrowserCapture`. Pure: events in, capture out.
///
/// `Network.responseReceivedExtraInfo` may arrive before its request's `requestWillBeSent`, and a
/// redirect hop's after the next hop's: each is paired with its request's URLs by order, never by
/// "the current URL" (the k-th extra info of a request id belongs to its k-th URL).
struct VisitRecorder: Sendable {
    /// The page's own target: its id is also the top frame's id.
    let targetId: String
    let pageSession: String
    /// The binding the cookie-write hook reports through.
    let bindingName: String

    private enum Entry: Sendable {
        case response(key: String, index: Int, extra: JSONValue)
        case script(BrowserCapture.ScriptWrite)
        case choice(String)
    }

    private var entries: [Entry] = []
    private var urls: [String: [String]] = [:]
    private var types: [String: String] = [:]
    private var extraCounts: [String: Int] = [:]
    private var navigations: Set<String> = []
    private var inflight: Set<String> = []
    /// Sessions attached under the page (cross-site iframes, workers), by session id, with their type.
    private(set) var children: [String: String] = [:]
    private(set) var loaded = false
    private(set) var finalURL: String?
    /// Why the top-level navigation failed (`net::ERR_...`), if it did.
    private(set) var navigationError: String?
    /// The URL the top-level navigation asked for last (a redirect target, or a new page).
    private(set) var lastNavigationURL: String?

    init(targetId: String, pageSession: String, bindingName: String) {
        self.targetId = targetId
        self.pageSession = pageSession
        self.bindingName = bindingName
    }

    /// Marks the visitor's choice on the banner: later events happened after it.
    mutating func markChoice(_ choice: String) { entries.append(.choice(choice)) }

    /// Requests started and not yet answered: the page is idle when this is zero.
    var pending: Int { inflight.count }

    /// Records `event`; returns true when it is network or script activity (it resets the idle clock).
    mutating func handle(_ event: DevToolsEvent) -> Bool {
        let session = event.sessionId ?? pageSession
        let params = event.params
        let key = { (id: String) in "\(session) \(id)" }
        switch event.method {
        case "Network.requestWillBeSent":
            guard let id = params["requestId"]?.string, let url = params["request"]?["url"]?.string else { return true }
            let requestKey = key(id)
            // Only network requests count toward idleness: `blob:` and `data:` loads may never report an end.
            if params["redirectResponse"] == nil, url.hasPrefix("http:") || url.hasPrefix("https:") {
                inflight.insert(requestKey)
            }
            urls[requestKey, default: []].append(url)
            if let type = params["type"]?.string { types[requestKey] = type }
            if session == pageSession, params["type"]?.string == "Document", params["frameId"]?.string == targetId {
                navigations.insert(requestKey)
                lastNavigationURL = url
            }
        case "Network.responseReceivedExtraInfo":
            guard let id = params["requestId"]?.string else { return true }
            let requestKey = key(id)
            let index = extraCounts[requestKey, default: 0]
            extraCounts[requestKey] = index + 1
            entries.append(.response(key: requestKey, index: index, extra: params))
        case "Network.responseReceived":
            if let id = params["requestId"]?.string { inflight.remove(key(id)) }
        case "Network.dataReceived":
            break  // a body still arriving is activity
        case "Network.loadingFinished", "Network.loadingFailed":
            guard let id = params["requestId"]?.string else { return true }
            inflight.remove(key(id))
            if event.method == "Network.loadingFailed", navigations.contains(key(id)), navigationError == nil,
                params["canceled"]?.bool != true
            {
                navigationError = params["errorText"]?.string
            }
        case "Runtime.bindingCalled":
            guard params["name"]?.string == bindingName, let payload = params["payload"]?.string,
                let write = Self.scriptWrite(payload)
            else { return false }
            entries.append(.script(write))
        case "Page.loadEventFired":
            if session == pageSession { loaded = true }
            return false
        case "Page.frameNavigated":
            if session == pageSession, params["frame"]?["parentId"] == nil, let url = params["frame"]?["url"]?.string {
                finalURL = url
            }
            return false
        case "Target.attachedToTarget":
            if let child = params["sessionId"]?.string { children[child] = params["targetInfo"]?["type"]?.string ?? "" }
            return true
        case "Target.detachedFromTarget":
            if let child = params["sessionId"]?.string { children[child] = nil }
            return false
        default:
            return false
        }
        return true
    }

    /// The capture so far, responses paired with their URLs.
    func capture() -> BrowserCapture {
        var capture = BrowserCapture()
        capture.loaded = loaded
        capture.finalURL = finalURL
        for entry in entries {
            switch entry {
            case .script(let write):
                capture.events.append(.script(write))
            case .choice(let choice):
                capture.events.append(.choice(choice))
            case .response(let key, let index, let extra):
                let hops = urls[key] ?? []
                guard index < hops.count else { continue }  // a request we never saw start (a worker's)
                capture.events.append(.response(response(key: key, url: hops[index], extra: extra)))
            }
        }
        return capture
    }

    private func response(key: String, url: String, extra: JSONValue) -> BrowserCapture.Response {
        var lines: [String] = []
        var date: String?
        for header in extra["headers"]?.members ?? [] {
            let name = header.key.lowercased()
            if name == "set-cookie", let value = header.value.string {
                lines += value.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            } else if name == "date" {
                date = header.value.string
            }
        }
        let blocked = (extra["blockedCookies"]?.array ?? []).map { item in
            BrowserCapture.Blocked(
                line: item["cookieLine"]?.string ?? "",
                reasons: (item["blockedReasons"]?.array ?? []).compactMap(\.string))
        }
        let partition = extra["cookiePartitionKey"]
        return BrowserCapture.Response(
            url: url, status: extra["statusCode"]?.int ?? 0, isNavigation: navigations.contains(key),
            resourceType: types[key] ?? "Other", setCookieLines: lines, date: date, blocked: blocked,
            partitionTopLevelSite: partition?["topLevelSite"]?.string ?? partition?.string,
            crossSiteAncestor: partition?["hasCrossSiteAncestor"]?.bool ?? false)
    }

    /// A report of the cookie-write hook: `{"text", "stack", "document"}`.
    static func scriptWrite(_ payload: String) -> BrowserCapture.ScriptWrite? {
        guard let report = try? JSONReader.parse(Array(payload.utf8)), let text = report["text"]?.string,
            let document = report["document"]?.string
        else { return nil }
        return BrowserCapture.ScriptWrite(
            documentURL: document, scriptURL: scriptURL(stack: report["stack"]?.string ?? ""), text: text)
    }

    /// The first http(s) URL in a V8 stack trace below the hook's own frames (which are anonymous):
    /// `at http://site.test/w.js:1:16` gives `http://site.test/w.js`.
    static func scriptURL(stack: String) -> String? {
        for line in stack.split(separator: "\n") {
            guard let start = line.range(of: "http://") ?? line.range(of: "https://") else { continue }
            var url = line[start.lowerBound...]
            if let end = url.firstIndex(where: { $0 == ")" || $0 == " " }) { url = url[..<end] }
            // Strip `:line:column`.
            for _ in 0..<2 {
                if let colon = url.lastIndex(of: ":"), url[url.index(after: colon)...].allSatisfy(\.isNumber),
                    url.index(after: colon) < url.endIndex
                {
                    url = url[..<colon]
                }
            }
            return withoutSecrets(String(url))
        }
        return nil
    }

    /// A script URL as reports, history and proposed charters show it: without its query, fragment or
    /// user info, which may carry tokens (`tag.js?key=…`).
    static func withoutSecrets(_ url: String) -> String {
        var text = Substring(url.prefix { $0 != "?" && $0 != "#" })
        if let scheme = text.range(of: "://") {
            let authorityEnd = text[scheme.upperBound...].firstIndex(of: "/") ?? text.endIndex
            if let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@") {
                text = text[..<scheme.upperBound] + text[text.index(after: at)...]
            }
        }
        return String(text)
    }
}
