import Foundation
import LocalHTTP
import Synchronization

/// The demo platform's sign-in, as Django does it: `GET /accounts/login/` sets `csrftoken` and serves
/// the form with the same token in `csrfmiddlewaretoken`; `POST` checks both and the credentials,
/// then redirects with `sessionid` (HttpOnly). The deliberate drift: `sessionid` lives 30 days where
/// the charter declares 2 weeks (and, served over http, has no `Secure`).
/// `/accounts/profile/` needs the session; `POST /accounts/logout/` (with `X-CSRFToken`) ends it.
extension DemoSite {
    /// The demo account's user name; its password is `password`, new for each site.
    public static let username = "monitor"
    static let sessionLifetime = 30 * 86_400

    /// Sessions opened and not logged out, and how many logouts there were.
    final class Sessions: Sendable {
        let open = Mutex<Set<String>>([])
        /// Signed-in page loads each session may serve before the server ends it; nil: no limit.
        let limit = Mutex<Int?>(nil)
        let uses = Mutex<[String: Int]>([:])
        let logouts = Mutex(0)
        let logins = Mutex(0)
    }

    func routeLogin(password: String, sessions: Sessions, record: @escaping @Sendable ([String]) -> Void) {
        server.route("/accounts/login/") { request in
            let csrf = Self.cookie("csrftoken", in: request)
            guard request.method == "POST" else {
                let token = csrf ?? Self.token(32)
                record([token])
                let setCookies = csrf == nil ? ["csrftoken=\(token); Max-Age=31449600; Path=/; SameSite=Lax"] : []
                return .respond(.page(Self.loginPage(token: token, failed: false), setCookies: setCookies))
            }
            let form = Self.formFields(request.body)
            guard let csrf, form["csrfmiddlewaretoken"] == csrf else {
                return .respond(Response(status: 403, body: "CSRF verification failed. Request aborted."))
            }
            guard form["username"] == Self.username, form["password"] == password else {
                return .respond(.page(Self.loginPage(token: csrf, failed: true)))
            }
            let session = Self.token(32)
            record([session])
            sessions.open.withLock { _ = $0.insert(session) }
            sessions.logins.withLock { $0 += 1 }
            let next = form["next"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/accounts/profile/"
            return .respond(
                .redirect(
                    to: next,
                    setCookies: [
                        "sessionid=\(session); Max-Age=\(Self.sessionLifetime); HttpOnly; Path=/; SameSite=Lax"
                    ]
                ))
        }
        server.route("/accounts/profile/") { request in
            guard let session = Self.cookie("sessionid", in: request), sessions.open.withLock({ $0.contains(session) }),
                sessions.use(session)
            else {
                return .respond(.redirect(to: "/accounts/login/?next=/accounts/profile/"))
            }
            return .respond(.page(Self.page("/accounts/profile/ (\(Self.username))")))
        }
        server.route("/accounts/logout/") { request in
            guard request.method == "POST", let csrf = Self.cookie("csrftoken", in: request),
                request.header("X-CSRFToken") == csrf
            else {
                return .respond(Response(status: 403, body: "CSRF verification failed. Request aborted."))
            }
            if let session = Self.cookie("sessionid", in: request) {
                sessions.open.withLock { _ = $0.remove(session) }
            }
            sessions.logouts.withLock { $0 += 1 }
            return .respond(.redirect(to: "/", setCookies: ["sessionid=\"\"; Max-Age=0; Path=/; SameSite=Lax"]))
        }
    }

    /// Ends each session after `uses` signed-in page loads (nil: never), as a server's session expiry.
    public func endSessions(after uses: Int?) { sessions.limit.withLock { $0 = uses } }

    public static func loginPage(token: String, failed: Bool, action: String = "/accounts/login/") -> String {
        """
        <!doctype html><html lang=fr><title>Connexion</title>
        <form id="search" action="/search/"><input name="q"></form>
        \(failed ? "<p class=error>Identifiants incorrects.</p>" : "")
        <form id="login-form" method="post" action="\(action)">
        <input type="hidden" name="csrfmiddlewaretoken" value="\(token)">
        <input type="text" name="username" autocomplete="username">
        <input type="password" name="password" autocomplete="current-password">
        <input type="hidden" name="next" value="/accounts/profile/">
        <button type="submit">Se connecter</button>
        </form></html>
        """
    }

    /// A cookie's value in the request's `Cookie` header.
    static func cookie(_ name: String, in request: ReceivedRequest) -> String? {
        for pair in (request.header("Cookie") ?? "").split(separator: ";") {
            let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == name { return String(parts[1]) }
        }
        return nil
    }

    /// An `application/x-www-form-urlencoded` body.
    static func formFields(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}

extension DemoSite.Sessions {
    /// Counts a signed-in page load; false once the session has served its limit (it is then ended).
    func use(_ session: String) -> Bool {
        guard let limit = limit.withLock({ $0 }) else { return true }
        let used = uses.withLock { uses in
            uses[session, default: 0] += 1
            return uses[session] ?? 0
        }
        if used > limit { open.withLock { _ = $0.remove(session) } }
        return used <= limit
    }
}
