import Audit
import Browser
import Config
import CookieModel
import Foundation
import Login
import Transport

/// A variant's signed-in session for a round, whichever engine signed in: the journey's own
/// observed responses (where the session cookie is set), the jar its pages are visited with, or why
/// the login failed.
struct SignedInSession: Sendable {
    var hops: [ObservedHop]
    var jar: CookieJar
    var failure: LoginFailure?

    init(hops: [ObservedHop], jar: CookieJar, failure: LoginFailure?) {
        self.hops = hops
        self.jar = jar
        self.failure = failure
    }

    /// A journey run through libcurl: the login page's hops before the login, the form's answer and
    /// its redirects after it (when it signed in).
    init(_ session: LoginSession, now: Date) {
        let signedIn = session.failure == nil
        hops =
            session.pageHops.compactMap { Self.observed($0, afterLogin: false) }
            + session.submitHops.compactMap { Self.observed($0, afterLogin: signedIn) }
        jar = session.jar
        failure = session.failure
    }

    private static func observed(_ hop: Hop, afterLogin: Bool) -> ObservedHop? {
        guard let url = try? CookieURL(parsing: LoginRunner.withoutQuery(hop.url)) else { return nil }
        var observed = ObservedHop(
            url: url, status: hop.status, date: hop.date, outcomes: hop.cookieOutcomes, source: .login)
        observed.afterLogin = afterLogin
        return observed
    }

    /// Signs in in Chromium as a person does: the login page loaded, the user name and the password
    /// typed into the fields `selectors` find, the submit button clicked; the session is then what
    /// Chromium stored.
    static func signIn(
        _ journey: LoginJourney, selectors: LoginJourney.Selectors, target: ScanTarget, browser: BrowserEngine,
        now: @Sendable () -> Date
    ) async -> SignedInSession {
        let password: String
        do throws(LoginFailure) {
            password = try LoginRunner.password(journey)
        } catch {
            return SignedInSession(hops: [], jar: CookieJar(), failure: error)
        }
        var request = target.request
        request.url = journey.url
        let actions = SignInActions(
            fields: [
                SignInActions.Field(selector: selectors.username, text: journey.username),
                SignInActions.Field(selector: selectors.password, text: password, secret: true),
            ], submit: selectors.submit)
        let result = await browser.visit(request, signIn: actions)
        let observation = BrowserObservation.make(
            page: PageRef(url: target.page.url, variant: target.variant.name),
            consentGiven: target.variant.consentGiven,
            pageURL: journey.url, result: result, now: now(), starting: request.startingJar(at: now()))
        // The journey's responses are the login's (scripts keep their writer); query strings dropped.
        var hops = observation.hops.compactMap { hop -> ObservedHop? in
            var hop = hop
            guard let url = try? CookieURL(parsing: LoginRunner.withoutQuery(hop.url.description)) else { return nil }
            hop.url = url
            if case .script = hop.source {} else { hop.source = .login }
            return hop
        }
        let finalURL = result.capture.finalURL ?? journey.url
        let clicked = result.capture.events.contains {
            if case .choice(SignInActions.marker) = $0 { true } else { false }
        }
        func failed(_ step: LoginFailure.Step, _ reason: LoginFailure.Reason, _ detail: String) -> SignedInSession {
            for index in hops.indices { hops[index].afterLogin = false }
            return SignedInSession(
                hops: hops, jar: CookieJar(),
                failure: LoginFailure(
                    journey: journey.name, step: step, reason: reason, detail: detail,
                    url: LoginRunner.withoutQuery(finalURL)))
        }
        if let failure = result.failure {
            if failure.code == .loginFailed {
                return failed(.loginPage, clicked ? .formNotFound : .fieldMissing, failure.message)
            }
            return failed(clicked ? .submit : .loginPage, .fetchFailed, "\(failure.code.rawValue): \(failure.message)")
        }
        let jar = BrowserObservation.jar(holding: result.capture.finalCookies, now: now())
        let status =
            result.capture.events.reversed().lazy.compactMap { event -> Int? in
                guard case .response(let response) = event, response.isNavigation else { return nil }
                return response.status
            }.first ?? 0
        let stored = Set(
            hops.filter(\.afterLogin).flatMap(\.outcomes).compactMap { outcome -> String? in
                guard case .stored(let cookie, _) = outcome.decision else { return nil }
                return cookie.name
            })
        if let unmet = LoginRunner.unmet(
            journey.success, status: status, url: finalURL, storedByLogin: stored, jar: jar, at: now())
        {
            return failed(.success, .successRuleNotMet, unmet)
        }
        return SignedInSession(hops: hops, jar: jar, failure: nil)
    }
}
