import Config
import CookieModel
import Foundation
import Transport

/// Runs login journeys through a `PageFetcher` (libcurl in production): GET the login page, POST its
/// form, check the success rule; and the logout that ends the session.
public struct LoginRunner: Sendable {
    public let fetcher: any PageFetcher
    private let now: @Sendable () -> Date

    public init(fetcher: any PageFetcher, now: @escaping @Sendable () -> Date = { Date() }) {
        self.fetcher = fetcher
        self.now = now
    }

    /// Signs in with `journey`, sending `template`'s headers, cookies and limits as the variant would.
    public func signIn(_ journey: LoginJourney, as template: VisitRequest) async -> LoginSession {
        var session = LoginSession(journey: journey.name, jar: template.jar ?? CookieJar())
        func fail(_ step: LoginFailure.Step, _ reason: LoginFailure.Reason, _ detail: String, url: String)
            -> LoginSession
        {
            session.failure = LoginFailure(journey: journey.name, step: step, reason: reason, detail: detail, url: url)
            return session
        }
        /// A step whose request did not complete: the transport's code and sentence.
        func fail(_ step: LoginFailure.Step, _ failure: FetchFailure) -> LoginSession {
            fail(
                step, .fetchFailed, "\(failure.code.rawValue): \(failure.message)", url: Self.withoutQuery(failure.url))
        }
        let password: String
        do throws(LoginFailure) {
            password = try Self.password(journey)
        } catch {
            session.failure = error
            return session
        }

        var request = template
        request.url = journey.url
        request.keepsBody = true
        // A 4xx or 5xx is the journey's own `wrong-status`, not a fetch failure.
        request.limits.failOnHTTPError = false
        let page = await fetcher.visit(request)
        session.pageHops = page.hops
        session.jar = page.jar
        let pageURL = page.finalHop?.url ?? journey.url
        if let failure = page.failure { return fail(.loginPage, failure) }
        guard let status = page.finalHop?.status, (200...299).contains(status) else {
            return fail(
                .loginPage, .wrongStatus, "the login page answered \(page.finalHop?.status ?? 0), expected 2xx",
                url: Self.withoutQuery(pageURL))
        }
        let submission: FormSubmission
        do throws(FormSubmission.Problem) {
            submission = try FormSubmission.prepare(
                page: page.body ?? [], pageURL: pageURL, journey: journey, password: password)
        } catch {
            return fail(.loginPage, error.reason, error.detail, url: Self.withoutQuery(pageURL))
        }

        var post = template
        post.limits.failOnHTTPError = false
        post.url = submission.action
        post.form = FormPost(body: submission.body)
        post.jar = page.jar
        post.cookies = []
        post.headers += Self.originHeaders(pageURL)
        let answer = await fetcher.visit(post)
        session.submitHops = answer.hops
        session.jar = answer.jar
        let finalURL = answer.finalHop?.url ?? submission.action
        if let failure = answer.failure { return fail(.submit, failure) }
        let finalStatus = answer.finalHop?.status ?? 0
        if journey.success.status == nil, finalStatus >= 400 {
            return fail(.submit, .wrongStatus, "the form's answer was \(finalStatus)", url: Self.withoutQuery(finalURL))
        }
        let stored = Set(
            answer.hops.flatMap(\.cookieOutcomes).compactMap { outcome -> String? in
                guard case .stored(let cookie, _) = outcome.decision else { return nil }
                return cookie.name
            })
        if let unmet = Self.unmet(
            journey.success, status: finalStatus, url: finalURL, storedByLogin: stored, jar: answer.jar, at: now())
        {
            return fail(.success, .successRuleNotMet, unmet, url: Self.withoutQuery(finalURL))
        }
        return session
    }

    /// Ends the server session held in `jar`; returns a sentence when the logout did not go through.
    public func signOut(_ jar: CookieJar, journey: LoginJourney, as template: VisitRequest) async -> String? {
        guard let logout = journey.logout else { return nil }
        var request = template
        request.url = logout.url
        request.jar = jar
        request.cookies = []
        if logout.method == .post { request.form = FormPost(body: []) }
        request.headers += Self.originHeaders(journey.url)
        if let name = logout.csrfCookie, let url = try? CookieURL(parsing: logout.url),
            let token = jar.cookies(for: url, at: now()).first(where: { $0.name == name })
        {
            request.headers.append((logout.csrfHeader, token.value))
        }
        let answer = await fetcher.visit(request)
        if let failure = answer.failure {
            return "logout of \"\(journey.name)\" failed: \(failure.code.rawValue): \(failure.message)"
        }
        if let status = answer.finalHop?.status, status >= 400 {
            return "logout of \"\(journey.name)\" answered \(status) at \(answer.finalHop?.url ?? logout.url)"
        }
        return nil
    }

    /// The password, read now (a rotated credential takes effect); a trailing line break is not part of it.
    public static func password(_ journey: LoginJourney) throws(LoginFailure) -> String {
        guard let data = FileManager.default.contents(atPath: journey.passwordFile), !data.isEmpty,
            data.count <= 65_536
        else {
            throw LoginFailure(
                journey: journey.name, step: .password, reason: .passwordUnreadable,
                detail: "cannot read the password file \(journey.passwordFile) (or it is empty, or over 64 KiB)",
                url: Self.withoutQuery(journey.url))
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }

    /// `Origin` and `Referer` as a browser sends them with a form: Django's CSRF check over https reads them.
    static func originHeaders(_ pageURL: String) -> [(name: String, value: String)] {
        guard let origin = try? CookieURL(parsing: pageURL).origin else { return [] }
        return [("Origin", origin.description), ("Referer", pageURL)]
    }

    /// The first rule of `success` that does not hold, as a sentence; nil when all hold. The cookie must
    /// be stored by the login's own answer (`storedByLogin`) and still be in the jar: one the login page
    /// set before (an anonymous session) proves nothing.
    public static func unmet(
        _ success: LoginJourney.SuccessRule, status: Int, url: String, storedByLogin: Set<String>, jar: CookieJar,
        at now: Date
    ) -> String? {
        let place = withoutQuery(url)
        if let cookie = success.cookie,
            !storedByLogin.contains(cookie) || !jar.allCookies(at: now).contains(where: { $0.name == cookie })
        {
            return "the login stored no cookie \"\(cookie)\" (it ended at \(place) with status \(status))"
        }
        if let expected = success.url, !url.hasPrefix(expected) {
            return "the login ended at \(place), not at \(expected)"
        }
        if let expected = success.status, status != expected {
            return "the login ended with status \(status), not \(expected)"
        }
        return nil
    }

    /// `url` without its query and fragment: a login's URLs may carry one-time codes (an SSO callback).
    public static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }
}
