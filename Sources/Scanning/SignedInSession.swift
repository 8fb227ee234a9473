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

    /// A journey run through libcurl: the login page's hops before the login, the form's answer and
    /// its redirects after it.
    init(_ session: LoginSession) {
        func observed(_ hops: [Hop], afterLogin: Bool) -> [ObservedHop] {
            hops.compactMap { hop in
                guard let url = try? CookieURL(parsing: hop.url) else { return nil }
                var observed = ObservedHop(
                    url: url, status: hop.status, date: hop.date, outcomes: hop.cookieOutcomes, source: .login)
                observed.afterLogin = afterLogin
                return observed
            }
        }
        hops = observed(session.pageHops, afterLogin: false) + observed(session.submitHops, afterLogin: true)
        jar = session.jar
        failure = session.failure
    }

    init(hops: [ObservedHop], jar: CookieJar, failure: LoginFailure?) {
        self.hops = hops
        self.jar = jar
        self.failure = failure
    }

    /// Signs in in Chromium as a person does: the login page loaded, the user name and the password
    /// typed into the fields `selectors` find, the submit button clicked; the session is then what
    /// Chromium stored.
    static func signIn(
        _ journey: LoginJourney, selectors: LoginJourney.Selectors, target: ScanTarget, browser: BrowserEngine,
        now: @Sendable () -> Date
    ) async -> SignedInSession {
        func failed(
            _ step: LoginFailure.Step, _ reason: LoginFailure.Reason, _ detail: String, hops: [ObservedHop] = []
        )
            -> SignedInSession
        {
            SignedInSession(
                hops: hops, jar: CookieJar(),
                failure: LoginFailure(
                    journey: journey.name, step: step, reason: reason, detail: detail, url: journey.url))
        }
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
                SignInActions.Field(selector: selectors.password, text: password),
            ], submit: selectors.submit)
        let result = await browser.visit(request, signIn: actions)
        let observation = BrowserObservation.make(
            page: PageRef(url: target.page.url, variant: target.variant.name),
            consentGiven: target.variant.consentGiven,
            pageURL: journey.url, result: result, now: now(), starting: request.startingJar(at: now()))
        let finalURL = result.capture.finalURL ?? journey.url
        if let failure = result.failure {
            if failure.code == .loginFailed {
                return failed(.loginPage, .formNotFound, failure.message, hops: observation.hops)
            }
            return failed(.submit, .fetchFailed, "\(failure.code.rawValue): \(failure.message)", hops: observation.hops)
        }
        let jar = BrowserObservation.jar(holding: result.capture.finalCookies, now: now())
        let status =
            result.capture.events.reversed().lazy.compactMap { event -> Int? in
                guard case .response(let response) = event, response.isNavigation else { return nil }
                return response.status
            }.first ?? 0
        if let unmet = LoginRunner.unmet(journey.success, status: status, url: finalURL, jar: jar, at: now()) {
            return failed(.success, .successRuleNotMet, unmet, hops: observation.hops)
        }
        return SignedInSession(hops: observation.hops, jar: jar, failure: nil)
    }
}
