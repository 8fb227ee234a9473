import Config
import CookieModel
import DemoSite
import Foundation
import Login
import NetworkAddress
import Testing
import Transport

/// Journeys through libcurl against the demo platform's Django-like sign-in on 127.0.0.1.
@Suite("Login journeys against a local Django-like site")
struct LoginRunnerTests {
    let site: DemoSite
    let directory: URL
    let fetcher: CurlFetcher

    init() throws {
        site = try DemoSite()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-login-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        fetcher = try CurlFetcher()
    }

    func journey(password: String? = nil, _ change: (inout LoginJourney) -> Void = { _ in }) throws -> LoginJourney {
        let file = directory.appendingPathComponent("password-\(UUID().uuidString)")
        try Data("\(password ?? site.password)\n".utf8).write(to: file)
        var journey = LoginJourney(
            name: "monitor", url: site.server.url("/accounts/login/"), form: "login-form", username: DemoSite.username,
            passwordFile: file.path, success: LoginJourney.SuccessRule(cookie: "sessionid"),
            logout: LoginJourney.Logout(url: site.server.url("/accounts/logout/"), csrfCookie: "csrftoken"))
        change(&journey)
        return journey
    }

    var template: VisitRequest {
        get throws {
            var limits = FetchLimits()
            limits.addressPolicy = AddressPolicy(allowed: [try IPNetwork(parsing: "127.0.0.0/8")])
            return VisitRequest(
                url: site.server.url("/"), headers: [("User-Agent", "cookiewatch-test")], limits: limits)
        }
    }

    func cleanUp() {
        fetcher.shutdown()
        site.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    @Test("signs in carrying the form's CSRF token with the jar's csrftoken, then logs out")
    func success() async throws {
        defer { cleanUp() }
        let runner = LoginRunner(fetcher: fetcher)
        let journey = try journey()
        let session = await runner.signIn(journey, as: try template)
        #expect(session.failure == nil, "\(String(describing: session.failure))")
        #expect(session.pageHops.map(\.status) == [200])
        #expect(session.submitHops.map(\.status) == [302, 200])
        #expect(session.submitHops.last?.url == site.server.url("/accounts/profile/"))
        let stored = session.jar.allCookies(at: Date()).map(\.name).sorted()
        #expect(stored == ["csrftoken", "sessionid"])
        // The POST carried the hidden token and the cookie; the server checked both (403 otherwise).
        let post = try #require(site.server.requests.first { $0.method == "POST" })
        let body = String(decoding: post.body, as: UTF8.self)
        #expect(body.hasPrefix("csrfmiddlewaretoken=") && body.contains("&username=monitor&password=pw-"))
        #expect(post.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(post.header("Origin") == site.baseURL && post.header("Cookie")?.hasPrefix("csrftoken=") == true)
        #expect(site.logins == 1 && site.openSessions == 1)
        // The 302 after the POST is followed with GET, the form not sent again.
        #expect(
            site.server.requests.map { "\($0.method) \($0.path) \($0.body.count)" } == [
                "GET /accounts/login/ 0", "POST /accounts/login/ \(post.body.count)", "GET /accounts/profile/ 0",
            ])

        #expect(await runner.signOut(session.jar, journey: journey, as: try template) == nil)
        #expect(site.logouts == 1 && site.openSessions == 0)
    }

    @Test("a wrong password: the site shows the form again, the success rule names the missing cookie")
    func wrongPassword() async throws {
        defer { cleanUp() }
        let session = await LoginRunner(fetcher: fetcher).signIn(try journey(password: "wrong"), as: try template)
        let failure = try #require(session.failure)
        #expect(failure.step == .success && failure.reason == .successRuleNotMet)
        #expect(
            failure.description
                == "login \"monitor\" failed at step success (success-rule-not-met): the login stored no cookie \"sessionid\" (it ended at \(site.server.url("/accounts/login/")) with status 200)"
        )
        #expect(site.logins == 0)
    }

    @Test("a form without the configured field fails before anything is posted")
    func missingField() async throws {
        defer { cleanUp() }
        let session = await LoginRunner(fetcher: fetcher).signIn(
            try journey { $0.passwordField = "passwd" }, as: try template)
        let failure = try #require(session.failure)
        #expect(failure.step == .loginPage && failure.reason == .fieldMissing)
        #expect(
            failure.detail.hasPrefix(
                "the form has no field \"passwd\" (fields: csrfmiddlewaretoken, username, password"))
        #expect(!site.server.requests.contains { $0.method == "POST" })
    }

    @Test("signed in, but the success rule's URL is not where the login ended")
    func ruleNotMet() async throws {
        defer { cleanUp() }
        let elsewhere = site.server.url("/dashboard/")
        let session = await LoginRunner(fetcher: fetcher).signIn(
            try journey { $0.success = LoginJourney.SuccessRule(url: elsewhere) }, as: try template)
        let failure = try #require(session.failure)
        #expect(failure.reason == .successRuleNotMet)
        #expect(failure.detail == "the login ended at \(site.server.url("/accounts/profile/")), not at \(elsewhere)")
    }

    @Test("an unreadable password file, a missing form, a login page that fails: each its own step and reason")
    func otherFailures() async throws {
        defer { cleanUp() }
        let runner = LoginRunner(fetcher: fetcher)
        let unreadable = try #require(
            await runner.signIn(try journey { $0.passwordFile = "/nonexistent/pw" }, as: try template).failure)
        #expect(unreadable.reason == .passwordUnreadable && unreadable.step == .password)
        let noForm = try #require(await runner.signIn(try journey { $0.form = "signup" }, as: try template).failure)
        #expect(noForm.reason == .formNotFound)
        let missing = try #require(
            await runner.signIn(try journey { $0.url = site.server.url("/missing/") }, as: try template).failure)
        #expect(missing.reason == .wrongStatus)
        #expect(missing.detail == "the login page answered 404, expected 2xx")
    }

    @Test("a cookie the login page set before proves nothing: the success rule wants one the login stored")
    func preexistingCookie() async throws {
        defer { cleanUp() }
        let session = await LoginRunner(fetcher: fetcher).signIn(
            try journey(password: "wrong") { $0.success = LoginJourney.SuccessRule(cookie: "csrftoken") },
            as: try template)
        #expect(session.failure?.reason == .successRuleNotMet)
    }

    @Test("a 307 re-posts the form to its own origin, and to another origin not at all")
    func repost() async throws {
        defer { cleanUp() }
        let server = site.server
        for prefix in ["/via", "/away"] {
            server.route("\(prefix)/") { _ in
                .respond(
                    .page(
                        DemoSite.loginPage(token: "t0k3n", failed: false, action: "\(prefix)/post"),
                        setCookies: ["csrftoken=t0k3n; Path=/"]))
            }
        }
        server.route("/via/post") { _ in .respond(.redirect(to: "/accounts/login/", status: 307)) }
        server.route("/away/post") { _ in
            .respond(.redirect(to: server.url("/accounts/login/", host: "localhost"), status: 307))
        }
        let runner = LoginRunner(fetcher: fetcher)
        let via = await runner.signIn(try journey { $0.url = server.url("/via/") }, as: try template)
        #expect(via.failure == nil, "\(String(describing: via.failure))")
        let reposted = server.requests.filter { $0.method == "POST" }.map { "\($0.path) \($0.body.count)" }
        #expect(reposted.count == 2 && Set(reposted.map { $0.split(separator: " ")[1] }).count == 1, "\(reposted)")

        let away = await runner.signIn(try journey { $0.url = server.url("/away/") }, as: try template)
        let failure = try #require(away.failure)
        #expect(failure.step == .submit && failure.reason == .fetchFailed)
        #expect(failure.detail.contains("would post the form again to another origin (http://localhost)"))
        #expect(!server.requests.contains { ($0.header("Host") ?? "").hasPrefix("localhost") })
    }
}
