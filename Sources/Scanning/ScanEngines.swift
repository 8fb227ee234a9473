import Audit
import Browser
import Config
import CookieModel
import Foundation
import Login
import Transport

/// The engines a scan observes page variants with: libcurl always, Chromium when a site asks for it.
public struct ScanEngines: Sendable {
    public let http: any PageFetcher
    /// nil when no page variant of the configuration uses the browser engine.
    public let browser: BrowserEngine?
    /// The round's signed-in sessions, shared by every visit of the round.
    public let logins: LoginSessions

    public init(http: any PageFetcher, browser: BrowserEngine? = nil, logins: LoginSessions? = nil) {
        self.http = http
        self.browser = browser
        self.logins = logins ?? LoginSessions(runner: LoginRunner(fetcher: http))
    }

    /// Visits `target` with its engine, signed in first when its variant names a login journey; the
    /// observation says what the audit needs, whichever engine it was.
    public func observe(_ target: ScanTarget, now: @Sendable () -> Date) async -> PageObservation {
        guard let journey = target.login else { return await visit(target, now: now) }
        let (ticket, session) = await logins.acquire(for: target, journey: journey, browser: browser)
        let page = PageRef(url: target.page.url, variant: target.variant.name)
        var observation: PageObservation
        if let failure = session.failure {
            observation = PageObservation(
                page: page, consentGiven: target.variant.consentGiven, hops: [],
                failure: ObservedFailure(
                    code: FetchFailure.Code.loginFailed.rawValue, message: failure.description, url: failure.url))
        } else {
            var signedIn = target
            signedIn.request.jar = session.jar
            observation = await visit(signedIn, now: now)
            if let back = Self.backAtLogin(observation, journey: journey, pageURL: target.page.url) {
                // The server ended the session: this visit saw an anonymous page, not a signed-in one.
                await logins.ended(ticket)
                let failure = LoginFailure(
                    journey: journey.name, step: .session, reason: .sessionEnded,
                    detail: "the page sent the signed-in visitor back to the login page \(back)", url: back)
                observation = PageObservation(
                    page: page, consentGiven: target.variant.consentGiven, hops: [],
                    failure: ObservedFailure(
                        code: FetchFailure.Code.loginFailed.rawValue, message: failure.description,
                        url: failure.url))
            } else {
                for index in observation.hops.indices { observation.hops[index].afterLogin = true }
                observation.signedIn = true
            }
        }
        await logins.release(ticket)
        if target.carriesLogin { observation.hops.insert(contentsOf: session.hops, at: 0) }
        return observation
    }

    /// The login page's URL (without query) when a signed-in visit's navigation landed on it while the
    /// page itself is another one: the session is over.
    static func backAtLogin(_ observation: PageObservation, journey: LoginJourney, pageURL: String) -> String? {
        let login = LoginRunner.withoutQuery(journey.url)
        guard LoginRunner.withoutQuery(pageURL) != login else { return nil }
        guard let landed = observation.finalURL, LoginRunner.withoutQuery(landed) == login else { return nil }
        return login
    }

    private func visit(_ target: ScanTarget, now: @Sendable () -> Date) async -> PageObservation {
        switch target.engine {
        case .http:
            return Scanner.observation(target, await http.visit(target.request))
        case .browser:
            let page = PageRef(url: target.page.url, variant: target.variant.name)
            guard let browser else {
                let failure = ObservedFailure(
                    code: FetchFailure.Code.browserUnavailable.rawValue,
                    message: "the browser engine was not started for this scan", url: target.page.url)
                return PageObservation(
                    page: page, consentGiven: target.variant.consentGiven, hops: [], failure: failure)
            }
            let banner = target.variant.banner.map {
                BannerClicks(selectors: $0.clicks, choice: $0.choice.rawValue, wait: $0.wait)
            }
            let result = await browser.visit(target.request, banner: banner)
            return BrowserObservation.make(
                page: page, consentGiven: target.variant.consentGiven, pageURL: target.page.url, result: result,
                now: now(), starting: target.request.startingJar(at: now()))
        }
    }

    /// The browser engine a configuration needs, nil when none of its variants uses it; throws when
    /// Chromium is missing or too old.
    public static func browser(for configuration: Configuration) throws(BrowserError) -> BrowserEngine? {
        guard configuration.usesBrowser else { return nil }
        let settings = configuration.browser
        let installation = try ChromiumInstallation.locate(settings.binary)
        var options = BrowserOptions()
        options.thirdPartyCookies = settings.thirdPartyCookies
        options.settle = settings.settle
        options.memoryLimitBytes = settings.memoryLimitMiB * 1_048_576
        options.trustedPublicKeys = settings.trustedPublicKeys
        options.resolve = configuration.resolve
        return BrowserEngine(
            supervisor: BrowserSupervisor(installation: installation, options: options),
            concurrency: settings.concurrency)
    }
}
