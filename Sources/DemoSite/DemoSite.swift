import Foundation
import LocalHTTP
import Synchronization

/// The built-in sample site `cookiewatch demo` scans: it behaves like the seed charter's platform
/// (Django's `csrftoken` and `django_language`, a redirect hop that sets cookies) and drifts on purpose.
///
/// The deliberate drift, each a finding of the demo:
/// - `csrftoken` without `Secure` (the charter expects it) and living 380 days ("Up to 12 months");
/// - a Matomo statistics cookie `_pk_id.1.a1b2` stored before consent;
/// - an undeclared Google Analytics `_ga`, set after consent, living two years;
/// - behind the login, `sessionid` living 30 days ("2 weeks") and without `Secure`.
///
/// Before that, the site can serve its previous release (`serve(.previous)`): no `_ga`, and a
/// `csrftoken` living 364 days, so that two scans show drift: `_ga` appeared, `csrftoken` changed.
public final class DemoSite: Sendable {
    /// Which release of the site the routes serve.
    public enum Release: Sendable {
        /// Before the drift: no Google Analytics, `csrftoken` within its declared 12 months.
        case previous
        /// The release with the deliberate drift (the default).
        case current
    }

    public let server: LocalHTTPServer
    /// The demo account's password: new for each site, so that tests can look for it in every output.
    public let password = "pw-" + DemoSite.token(24)
    private let issued = IssuedValues()
    private let release = ServedRelease()
    let sessions = Sessions()

    /// Sign-ins that succeeded, and logouts.
    public var logins: Int { sessions.logins.withLock { $0 } }
    public var logouts: Int { sessions.logouts.withLock { $0 } }
    /// Sessions signed in and not logged out.
    public var openSessions: Int { sessions.open.withLock { $0.count } }

    /// Every cookie value the site has sent, so tests can check that none reaches any output.
    public var issuedValues: [String] { issued.values.withLock { $0 } }

    /// Starts the site on 127.0.0.1 on a free port.
    public init() throws(LocalHTTPError) {
        server = try LocalHTTPServer(addresses: ["127.0.0.1"])
        server.route("/") { [issued, release] _ in
            let token = Self.token(32)
            issued.values.withLock { $0.append(token) }
            // 380 days now; 364 in the previous release.
            let lifetime = release.value.withLock { $0 } == .current ? 32_832_000 : 31_449_600
            return .respond(
                .redirect(
                    to: "/fr/",
                    setCookies: [
                        "django_language=fr; Max-Age=31536000; Path=/; SameSite=Lax",
                        "csrftoken=\(token); Max-Age=\(lifetime); Path=/; SameSite=Lax",
                    ]))
        }
        for path in ["/fr/", "/fr/explore/"] {
            server.route(path) { [issued, release] request in
                let (cookies, values) = Self.analytics(request, release: release.value.withLock { $0 })
                issued.values.withLock { $0 += values }
                return .respond(.page(Self.page(path), setCookies: cookies))
            }
        }
        routeScriptedPages { [issued] values in issued.values.withLock { $0 += values } }
        routeLogin(password: password, sessions: sessions) { [issued] values in
            issued.values.withLock { $0 += values }
        }
    }

    public func stop() { server.stop() }

    /// Serves `release` from the next request on.
    public func serve(_ release: Release) { self.release.value.withLock { $0 = release } }

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://127.0.0.1:\(server.port)" }

    /// The pages the demo configuration scans.
    public var pageURLs: [String] { [server.url("/"), server.url("/fr/explore/"), server.url("/accounts/profile/")] }

    /// Matomo before and after consent; Google Analytics only once the visitor accepted cookies, and
    /// only in the current release.
    static func analytics(_ request: ReceivedRequest, release: Release) -> (cookies: [String], values: [String]) {
        let visitor = "\(token(16)).1764403200."
        var cookies = ["_pk_id.1.a1b2=\(visitor); Max-Age=33955200; Path=/; SameSite=Lax"]
        var values = [visitor]
        if release == .current, request.header("Cookie")?.contains("cookies_preferences=") == true {
            let client = "GA1.1.\(digits(10)).1764403200"
            cookies.append("_ga=\(client); Max-Age=63072000; Path=/; SameSite=Lax")
            values.append(client)
        }
        return (cookies, values)
    }

    static func page(_ path: String) -> String {
        "<!doctype html><html lang=fr><title>Demo data portal</title><h1>Demo data portal</h1><p>\(path)</p></html>"
    }

    /// Tokens that differ per request, as real session tokens do (and that must never be printed).
    static func token(_ length: Int) -> String {
        String((0..<length).map { _ in "0123456789abcdef".randomElement() ?? "0" })
    }

    static func digits(_ length: Int) -> String {
        String((0..<length).map { _ in "0123456789".randomElement() ?? "0" })
    }
}

/// The values a site sent, shared with its route handlers.
private final class IssuedValues: Sendable {
    let values = Mutex<[String]>([])
}

/// The release the routes serve, shared with them.
private final class ServedRelease: Sendable {
    let value = Mutex(DemoSite.Release.current)
}
