import CookieModel
import Foundation
import StrictJSON
import Synchronization
import Transport

/// What a browser visit ended with: the capture, and why it is incomplete if it is.
public struct BrowserVisitResult: Sendable {
    public var capture: BrowserCapture
    public var failure: FetchFailure?
}

/// One page load in a fresh browser context: set up, navigate, wait until the page settles, read
/// the store and the storage keys, dispose of the context. The protocol script; `VisitRecorder`
/// keeps the record.
struct BrowserVisit {
    static let binding = "__cookiewatchCookieWrite"

    let connection: DevToolsConnection
    let request: VisitRequest
    let banner: BannerClicks?
    var signIn: SignInActions? = nil
    let options: BrowserOptions

    /// Runs the visit. Browser trouble (a crash, a hang) is thrown; page trouble is the result's failure.
    func run() async throws(BrowserError) -> BrowserVisitResult {
        let clock = ContinuousClock()
        let deadline = clock.now + request.limits.visitTimeout
        // Every request of the context goes through the visit's own egress proxy, loopback included.
        let proxy = try EgressProxy(
            rules: EgressProxy.Rules(
                policy: request.limits.addressPolicy, resolve: options.resolve,
                resolveOnlyMapped: options.resolveOnlyMapped, connectTimeout: request.limits.connectTimeout,
                byteLimit: options.maxBytesPerVisit, connectionLimit: options.maxRequestsPerVisit))
        defer { proxy.stop() }
        // Each identifier must be there: a target made without its context would browse without the proxy.
        let context = try Self.identifier(
            "browserContextId",
            in: try await call(
                "Target.createBrowserContext",
                [
                    ("disposeOnDetach", .bool(true)), ("proxyServer", .string("http://127.0.0.1:\(proxy.port)")),
                    ("proxyBypassList", .string("<-loopback>")),
                ]))
        defer { connection.send("Target.disposeBrowserContext", [("browserContextId", .string(context))]) }
        let target = try Self.identifier(
            "targetId",
            in: try await call(
                "Target.createTarget", [("url", .string("about:blank")), ("browserContextId", .string(context))]))
        let session = try Self.identifier(
            "sessionId",
            in: try await call("Target.attachToTarget", [("targetId", .string(target)), ("flatten", .bool(true))]))
        let events = connection.events(of: session)
        let live = LiveVisit(VisitRecorder(targetId: target, pageSession: session, bindingName: Self.binding))
        let consumer = Task { [connection, options, request] in
            for await event in events {
                live.handle(event)
                Self.react(to: event, connection: connection, options: options, credentials: request.credentials)
            }
        }
        defer {
            consumer.cancel()
            connection.release([session] + live.children)
        }

        try await prepare(session: session, context: context)
        var failure: FetchFailure?
        let navigation: JSONValue
        do {
            navigation = try await call(
                "Page.navigate", [("url", .string(request.url))], session: session,
                timeout: max(deadline - clock.now, .milliseconds(1)))
        } catch .timeout {
            // A server that never answers holds the navigation; the browser still answers a probe.
            _ = try await call("Browser.getVersion")
            navigation = .object([])
            failure = timeoutFailure()
        }
        if failure != nil {
        } else if let error = navigation["errorText"]?.string, !error.isEmpty {
            failure = Self.failure(netError: error, url: request.url)
        } else {
            failure = try await settle(live, deadline: deadline)
        }
        if failure == nil, let banner {
            failure = try await click(banner, session: session, live: live)
        }
        if failure == nil, let signIn {
            failure = try await fill(signIn, session: session, live: live)
        }
        let refusals = proxy.refusals
        if let blocked = Self.blockedNavigation(live.recorder.withLock { $0.lastNavigationURL }, refusals) {
            failure = FetchFailure(
                code: blocked.unresolved ? .dns : .blockedAddress, message: blocked.reason, hopIndex: 0,
                url: request.url)
        }
        var capture = live.recorder.withLock { $0.capture() }
        capture.refused = refusals.map { "\($0.host):\($0.port): \($0.reason)" }
        capture.storage = await storageKeys(sessions: [session] + live.children)
        capture.finalCookies = Self.cookies(
            try await call("Storage.getCookies", [("browserContextId", .string(context))])["cookies"]?.array ?? [])
        return BrowserVisitResult(capture: capture, failure: failure)
    }

    /// The non-empty string `key` of a protocol answer, or a protocol error naming it.
    static func identifier(_ key: String, in answer: JSONValue) throws(BrowserError) -> String {
        guard let value = answer[key]?.string, !value.isEmpty else {
            throw .protocolError(method: key, message: "the browser's answer has no \(key)")
        }
        return value
    }

    /// Domains enabled, the write hook installed, frames auto-attached, the variant's identity set.
    private func prepare(session: String, context: String) async throws(BrowserError) {
        var identity: [(String, JSONValue)] = []
        var extra: [(String, JSONValue)] = []
        for header in request.headers {
            switch header.name.lowercased() {
            case "user-agent": identity.append(("userAgent", .string(header.value)))
            case "accept-language": identity.append(("acceptLanguage", .string(header.value)))
            case "cookie": continue
            default: extra.append((header.name, .string(header.value)))
            }
        }
        var page: [(String, [(String, JSONValue)])] = []
        if identity.contains(where: { $0.0 == "userAgent" }) { page.append(("Network.setUserAgentOverride", identity)) }
        if !extra.isEmpty { page.append(("Network.setExtraHTTPHeaders", [("headers", .object(extra))])) }
        if let credentials = request.credentials {
            // Only requests to the credentials' origin are paused, and given them (`react`).
            let pattern = JSONValue.object([
                ("urlPattern", .string("\(credentials.origin)/*")), ("requestStage", .string("Request")),
            ])
            page.append(("Fetch.enable", [("patterns", .array([pattern]))]))
        }
        var browser: [(String, [(String, JSONValue)])] = [
            ("Browser.setDownloadBehavior", [("behavior", .string("deny")), ("browserContextId", .string(context))])
        ]
        // A signed-in session's jar (a login journey), then the variant's own cookies.
        let signedIn = (request.jar?.allCookies(at: Date()) ?? []).map {
            Self.cookieParameter($0, pageURL: request.url)
        }
        if !request.cookies.isEmpty || !signedIn.isEmpty {
            let cookies: [JSONValue] =
                signedIn
                + request.cookies.map { cookie in
                    JSONValue.object([
                        ("name", .string(cookie.name)), ("value", .string(cookie.value)), ("url", .string(request.url)),
                    ])
                }
            browser.append(
                ("Storage.setCookies", [("cookies", .array(cookies)), ("browserContextId", .string(context))]))
        }
        do {
            // Two batches, each one round trip: the page session's commands, the browser's.
            async let instrumented: Void = Self.instrument(
                session, connection: connection, options: options, then: page)
            _ = try await connection.callInOrder(browser, session: nil, timeout: options.commandTimeout)
            try await instrumented
        } catch {
            throw error as? BrowserError ?? .crashed("\(error)")
        }
    }

    /// A stored cookie as `Storage.setCookies` takes it: a host-only cookie by URL (no `domain`, so
    /// Chromium keeps it host-only), a domain cookie by its domain.
    static func cookieParameter(_ cookie: StoredCookie, pageURL: String) -> JSONValue {
        var fields: [(String, JSONValue)] = [("name", .string(cookie.name)), ("value", .string(cookie.value))]
        if cookie.hostOnly {
            // The page's scheme unless the cookie is Secure (Chromium binds a cookie to the scheme it was
            // set from); an IPv6 host in brackets.
            let scheme = cookie.secure || pageURL.hasPrefix("https:") ? "https" : "http"
            let host = cookie.domain.contains(":") ? "[\(cookie.domain)]" : cookie.domain
            fields.append(("url", .string("\(scheme)://\(host)\(cookie.path)")))
        } else {
            fields.append(("domain", .string(".\(cookie.domain)")))
        }
        fields += [
            ("path", .string(cookie.path)), ("secure", .bool(cookie.secure)), ("httpOnly", .bool(cookie.httpOnly)),
        ]
        switch cookie.sameSite {
        case .strict: fields.append(("sameSite", .string("Strict")))
        case .lax: fields.append(("sameSite", .string("Lax")))
        case .none: fields.append(("sameSite", .string("None")))
        case .default: break
        }
        if let expires = cookie.expires { fields.append(("expires", .number(expires.timeIntervalSince1970))) }
        return .object(fields)
    }

    /// What every session of the visit needs before its scripts run: network events, the cookie-write
    /// hook, auto-attachment of its own frames; then `then`, in the same batch.
    static func instrument(
        _ session: String, connection: DevToolsConnection, options: BrowserOptions,
        then more: [(String, [(String, JSONValue)])] = []
    ) async throws(BrowserError) {
        let commands: [(String, [(String, JSONValue)])] =
            [
                ("Network.enable", []), ("Page.enable", []), ("Runtime.enable", []),
                ("Runtime.addBinding", [("name", .string(binding))]),
                (
                    "Page.addScriptToEvaluateOnNewDocument",
                    [("source", .string(CookieWriteHook.source(binding: binding)))]
                ),
                (
                    "Target.setAutoAttach",
                    [("autoAttach", .bool(true)), ("waitForDebuggerOnStart", .bool(true)), ("flatten", .bool(true))]
                ),
            ] + more
        do {
            _ = try await connection.callInOrder(commands, session: session, timeout: options.commandTimeout)
        } catch {
            throw error as? BrowserError ?? .crashed("\(error)")
        }
    }

    /// Side effects of events: new frames instrumented and let go, dialogs dismissed, requests to the
    /// credentials' origin given them.
    static func react(
        to event: DevToolsEvent, connection: DevToolsConnection, options: BrowserOptions,
        credentials: CredentialHeaders?
    ) {
        switch event.method {
        case "Fetch.requestPaused":
            // Every paused request is continued, or the page would hang on it.
            guard let session = event.sessionId, let id = event.params["requestId"]?.string else { return }
            let request = event.params["request"] ?? .object([])
            var parameters: [(String, JSONValue)] = [("requestId", .string(id))]
            if let headers = credentialed(request, credentials) { parameters.append(("headers", .array(headers))) }
            Task {
                do {
                    _ = try await connection.call(
                        "Fetch.continueRequest", parameters, session: session, timeout: options.commandTimeout)
                } catch {
                    // Refused (a header value Chromium will not send) or timed out: the request fails rather
                    // than hang the page or go out without the variant's credentials; a failed navigation
                    // fails the visit.
                    _ = try? await connection.call(
                        "Fetch.failRequest", [("requestId", .string(id)), ("errorReason", .string("Failed"))],
                        session: session, timeout: options.commandTimeout)
                }
            }
        case "Target.attachedToTarget":
            guard let child = event.params["sessionId"]?.string else { return }
            let type = event.params["targetInfo"]?["type"]?.string ?? ""
            Task {
                if type == "iframe" || type == "page" {
                    try? await instrument(child, connection: connection, options: options)
                }
                _ = try? await connection.call(
                    "Runtime.runIfWaitingForDebugger", session: child, timeout: options.commandTimeout)
            }
        case "Page.javascriptDialogOpening":
            guard let session = event.sessionId else { return }
            Task {
                _ = try? await connection.call(
                    "Page.handleJavaScriptDialog", [("accept", .bool(false))], session: session,
                    timeout: options.commandTimeout)
            }
        default:
            return
        }
    }

    /// A paused request's headers with the credentials added, as `Fetch.continueRequest` takes them; nil
    /// (continue unchanged) unless the request's URL is of the credentials' origin: the pattern that
    /// paused it is not trusted alone.
    static func credentialed(_ request: JSONValue, _ credentials: CredentialHeaders?) -> [JSONValue]? {
        guard let credentials, let url = request["url"]?.string,
            (try? CookieURL(parsing: url))?.origin == credentials.origin
        else { return nil }
        let replaced = Set(credentials.headers.map { $0.name.lowercased() })
        let kept = request["headers"]?.members.filter { !replaced.contains($0.key.lowercased()) } ?? []
        return (kept.map { ($0.key, $0.value.string ?? "") } + credentials.headers).map { header in
            JSONValue.object([("name", .string(header.0)), ("value", .string(header.1))])
        }
    }

    /// Waits for the load event, then for `options.settle` without network activity, within the deadline.
    /// A browser that stops answering is found within `options.commandTimeout`: it is asked for its
    /// version every second while the page loads.
    private func settle(_ live: LiveVisit, deadline: ContinuousClock.Instant) async throws(BrowserError)
        -> FetchFailure?
    {
        let clock = ContinuousClock()
        var nextPing = clock.now + .seconds(1)
        while clock.now < deadline {
            if clock.now >= nextPing {
                _ = try await call("Browser.getVersion")
                nextPing = clock.now + .seconds(1)
            }
            let (loaded, pending, error) = live.recorder.withLock { ($0.loaded, $0.pending, $0.navigationError) }
            if let error { return Self.failure(netError: error, url: request.url) }
            if loaded, pending == 0, clock.now - live.lastActivity.withLock({ $0 }) >= options.settle { return nil }
            if connection.closedReason != nil { return nil }
            if Task.isCancelled {
                return FetchFailure(code: .cancelled, message: "the visit was cancelled", hopIndex: 0, url: request.url)
            }
            try? await Task.sleep(for: .milliseconds(25))
        }
        let loaded = live.recorder.withLock { $0.loaded }
        // A page that loaded but keeps polling is observed as it is at the deadline.
        return loaded ? nil : timeoutFailure()
    }

    private func timeoutFailure() -> FetchFailure {
        FetchFailure(
            code: .timeout,
            message:
                "the page did not finish loading within the visit's total timeout of \(request.limits.visitTimeout) (limits.totalTimeout)",
            hopIndex: 0, url: request.url)
    }

    /// The visitor's choice: each selector clicked at its element's centre (a real mouse event, as a
    /// person's click), the page let settle after each, then observed for `banner.wait`.
    private func click(_ banner: BannerClicks, session: String, live: LiveVisit) async throws(BrowserError)
        -> FetchFailure?
    {
        live.recorder.withLock { $0.markChoice(banner.choice) }
        for selector in banner.selectors {
            guard try await clickElement(selector, session: session) else {
                return notFound(.bannerNotFound, "the banner selector", selector, live: live)
            }
            _ = try await settle(live, deadline: ContinuousClock.now + request.limits.visitTimeout)
        }
        try? await Task.sleep(for: banner.wait)
        _ = try await settle(live, deadline: ContinuousClock.now + request.limits.visitTimeout)
        return nil
    }

    /// The sign-in: each field focused and typed into, then the submit button clicked as a person
    /// does, and the page it leads to let settle.
    private func fill(_ signIn: SignInActions, session: String, live: LiveVisit) async throws(BrowserError)
        -> FetchFailure?
    {
        for field in signIn.fields {
            // Typed only where the focus really is: a hidden or disabled match would leave the focus on the
            // previous field, and the password would be typed there.
            let focus = """
                (() => { const e = document.querySelector(\(JSONValue.quoted(field.selector)));
                  if (!e) return 'missing';
                  if (\(field.secret) && !(e instanceof HTMLInputElement && e.type === 'password')) return 'not-password';
                  e.focus(); if (document.activeElement !== e) return 'unfocusable';
                  if ('value' in e) e.value = ''; return 'ok'; })()
                """
            let found = try await call(
                "Runtime.evaluate", [("expression", .string(focus)), ("returnByValue", .bool(true))], session: session)
            switch found["result"]?["value"]?.string {
            case "ok":
                break
            case "not-password":
                return refused(
                    field, "finds no password field (<input type=password>); the password is typed only there")
            case "unfocusable":
                return refused(field, "finds a field that cannot take the focus (hidden or disabled)")
            default:
                return notFound(.loginFailed, "the login field selector", field.selector, live: live)
            }
            _ = try await call("Input.insertText", [("text", .string(field.text))], session: session)
        }
        live.recorder.withLock { $0.markChoice(SignInActions.marker) }
        guard try await clickElement(signIn.submit, session: session) else {
            return notFound(.loginFailed, "the login submit selector", signIn.submit, live: live)
        }
        try? await Task.sleep(for: signIn.wait)
        _ = try await settle(live, deadline: ContinuousClock.now + request.limits.visitTimeout)
        return nil
    }

    private func refused(_ field: SignInActions.Field, _ problem: String) -> FetchFailure {
        FetchFailure(
            code: .loginFailed, message: "the login field selector \(JSONValue.quoted(field.selector)) \(problem)",
            hopIndex: 0, url: request.url)
    }

    /// Clicks the element `selector` finds at its centre (a real mouse event); false when none matches.
    private func clickElement(_ selector: String, session: String) async throws(BrowserError) -> Bool {
        let locate = """
            (() => { const e = document.querySelector(\(JSONValue.quoted(selector)));
              if (!e) return '';
              e.scrollIntoView({ block: 'center', inline: 'center' });
              const r = e.getBoundingClientRect();
              return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2]); })()
            """
        let found = try await call(
            "Runtime.evaluate", [("expression", .string(locate)), ("returnByValue", .bool(true))], session: session)
        guard let text = found["result"]?["value"]?.string, let point = try? JSONReader.parse(Array(text.utf8)),
            let x = point.array.first?.double, let y = point.array.last?.double
        else { return false }
        for type in ["mouseMoved", "mousePressed", "mouseReleased"] {
            _ = try await call(
                "Input.dispatchMouseEvent",
                [
                    ("type", .string(type)), ("x", .number(x)), ("y", .number(y)), ("button", .string("left")),
                    ("clickCount", .integer(type == "mouseMoved" ? 0 : 1)),
                ], session: session)
        }
        return true
    }

    private func notFound(_ code: FetchFailure.Code, _ what: String, _ selector: String, live: LiveVisit)
        -> FetchFailure
    {
        let page = live.recorder.withLock { $0.finalURL } ?? request.url
        return FetchFailure(
            code: code, message: "\(what) \(JSONValue.quoted(selector)) matches nothing on \(page)", hopIndex: 0,
            url: request.url)
    }

    /// The proxy's refusal of the page's own navigation (the URL or a redirect), if that is where it ended.
    static func blockedNavigation(_ url: String?, _ refusals: [EgressProxy.Refusal]) -> EgressProxy.Refusal? {
        guard let url, let origin = try? CookieURL(parsing: url).origin else { return nil }
        return refusals.first { $0.host.lowercased() == origin.host && $0.port == origin.port }
    }

    /// localStorage and sessionStorage key names of the page and each attached frame.
    private func storageKeys(sessions: [String]) async -> [BrowserCapture.StorageKeys] {
        let expression = """
            (() => { const keys = (s) => { try { return Object.keys(s); } catch (e) { return []; } };
              return JSON.stringify({ origin: location.origin, local: keys(localStorage), session: keys(sessionStorage) }); })()
            """
        var found: [BrowserCapture.StorageKeys] = []
        for session in sessions {
            guard
                let result = try? await connection.call(
                    "Runtime.evaluate", [("expression", .string(expression)), ("returnByValue", .bool(true))],
                    session: session, timeout: options.commandTimeout),
                let text = result["result"]?["value"]?.string,
                let keys = try? JSONReader.parse(Array(text.utf8)), let origin = keys["origin"]?.string,
                origin != "null"
            else { continue }
            let local = (keys["local"]?.array ?? []).compactMap(\.string).sorted()
            let sessionKeys = (keys["session"]?.array ?? []).compactMap(\.string).sorted()
            guard !local.isEmpty || !sessionKeys.isEmpty else { continue }
            found.append(BrowserCapture.StorageKeys(origin: origin, local: local, session: sessionKeys))
        }
        return found
    }

    static func cookies(_ list: [JSONValue]) -> [BrowserCapture.StoredCookie] {
        list.map { cookie in
            let expires = cookie["expires"]?.double
            return BrowserCapture.StoredCookie(
                name: cookie["name"]?.string ?? "", value: cookie["value"]?.string ?? "",
                domain: cookie["domain"]?.string ?? "", path: cookie["path"]?.string ?? "/",
                secure: cookie["secure"]?.bool ?? false, httpOnly: cookie["httpOnly"]?.bool ?? false,
                sameSite: cookie["sameSite"]?.string,
                expires: (cookie["session"]?.bool ?? false) ? nil : expires.flatMap { $0 > 0 ? $0 : nil },
                partitionTopLevelSite: cookie["partitionKey"]?["topLevelSite"]?.string
                    ?? cookie["partitionKey"]?.string)
        }
    }

    /// A Chromium network error on the navigation, as the libcurl engine's failure codes name it.
    static func failure(netError: String, url: String) -> FetchFailure {
        let code: FetchFailure.Code =
            switch netError {
            case "net::ERR_NAME_NOT_RESOLVED", "net::ERR_NAME_RESOLUTION_FAILED": .dns
            case "net::ERR_CONNECTION_REFUSED", "net::ERR_ADDRESS_UNREACHABLE", "net::ERR_CONNECTION_FAILED": .connect
            case "net::ERR_TIMED_OUT", "net::ERR_CONNECTION_TIMED_OUT": .timeout
            case "net::ERR_TOO_MANY_REDIRECTS": .tooManyRedirects
            // An error status with an empty body: Chromium shows its own error page.
            case "net::ERR_HTTP_RESPONSE_CODE_FAILURE": .httpStatus
            case "net::ERR_BLOCKED_BY_CLIENT", "net::ERR_ACCESS_DENIED": .blockedAddress
            case "net::ERR_ABORTED", "net::ERR_UNKNOWN_URL_SCHEME", "net::ERR_DISALLOWED_URL_SCHEME": .protocol
            default: netError.hasPrefix("net::ERR_CERT") || netError.hasPrefix("net::ERR_SSL") ? .tls : .network
            }
        return FetchFailure(
            code: code, message: "the browser could not load the page: \(netError)", hopIndex: 0, url: url)
    }

    private func call(
        _ method: String, _ params: [(String, JSONValue)] = [], session: String? = nil, timeout: Duration? = nil
    ) async throws(BrowserError) -> JSONValue {
        do {
            return try await connection.call(
                method, params, session: session, timeout: timeout ?? options.commandTimeout)
        } catch {
            throw error as? BrowserError ?? .crashed("\(error)")
        }
    }
}

/// The recorder of a visit in progress, shared by the task reading its events and the one waiting
/// for the page to settle.
final class LiveVisit: Sendable {
    let recorder: Mutex<VisitRecorder>
    /// When the last network or script activity happened.
    let lastActivity = Mutex(ContinuousClock.now)

    init(_ recorder: VisitRecorder) { self.recorder = Mutex(recorder) }

    func handle(_ event: DevToolsEvent) {
        if recorder.withLock({ $0.handle(event) }) { lastActivity.withLock { $0 = ContinuousClock.now } }
    }

    var children: [String] { recorder.withLock { Array($0.children.keys) } }
}
