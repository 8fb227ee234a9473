import Audit
import Browser
import Charter
import CookieModel
import Foundation

/// What the audit reads of a browser visit: the same observation model as a libcurl visit.
///
/// Every `Set-Cookie` line and script write goes through cookiewatch's own model, in the order the
/// browser met them (so both engines are audited by the same rules), and each line's verdict is
/// compared with Chromium's. A cookie in Chromium's final store that nothing observed explains is
/// audited too, as set by the browser store: nothing the browser kept escapes the audit.
public enum BrowserObservation {
    public static func make(
        page: PageRef, consentGiven: Bool, pageURL: String, result: BrowserVisitResult, now: Date,
        starting: CookieJar? = nil, publicSuffixes: any PublicSuffixList = SystemPublicSuffixList.shared
    ) -> PageObservation {
        let capture = result.capture
        let topSite = (try? CookieURL(parsing: capture.finalURL ?? pageURL)).map { site(of: $0, publicSuffixes) }
        // What the visitor brought (a signed-in session, the variant's cookies) is in Chromium's store
        // from the start: the model starts with it too, so that it is not taken for the store's own.
        var jar = starting ?? CookieJar(publicSuffixes: publicSuffixes)
        var hops: [ObservedHop] = []
        var disagreements: [ModelDisagreement] = []
        // The visitor's choice on the banner, once made: every later hop happened after it.
        var choice: ConsentChoice?
        // Whether the visitor has signed in (a login journey in Chromium): every later hop is after login.
        var signedIn = false
        for event in capture.events {
            switch event {
            case .choice(SignInActions.marker):
                signedIn = true
            case .choice(let made):
                choice = ConsentChoice(rawValue: made)
            case .response(let response):
                guard !response.setCookieLines.isEmpty, let url = try? CookieURL(parsing: response.url) else {
                    continue
                }
                let crossSite =
                    !response.isNavigation && (response.crossSiteAncestor || site(of: url, publicSuffixes) != topSite)
                let context = CookieContext(fromScript: false, crossSite: crossSite)
                var outcomes: [StorageOutcome] = []
                for line in response.setCookieLines {
                    let outcome = jar.receive(setCookie: line, from: url, at: now, context: context)
                    outcomes.append(outcome)
                    let blocked = response.blocked.first { $0.line == line }
                    if let disagreement = compare(outcome, blocked: blocked, line: line, url: response.url) {
                        disagreements.append(disagreement)
                    }
                }
                let source: HopSource =
                    response.isNavigation ? .navigation : .subresource(resourceType: response.resourceType)
                let date = response.date.flatMap { CookieDate.parse($0) }.map {
                    Date(timeIntervalSince1970: TimeInterval($0))
                }
                var hop = ObservedHop(url: url, status: response.status, date: date, outcomes: outcomes, source: source)
                hop.choice = choice
                hop.afterLogin = signedIn
                hops.append(hop)
            case .script(let write):
                guard let url = try? CookieURL(parsing: write.documentURL) else { continue }
                let context = CookieContext(fromScript: true, crossSite: site(of: url, publicSuffixes) != topSite)
                let outcome = jar.receive(setCookie: write.text, from: url, at: now, context: context)
                var hop = ObservedHop(
                    url: url, status: 0, date: nil, outcomes: [outcome],
                    source: .script(scriptURL: write.scriptURL))
                hop.choice = choice
                hop.afterLogin = signedIn
                hops.append(hop)
            }
        }
        // The stores compared: what only Chromium kept is audited as the browser store's; what only the
        // model kept is a disagreement.
        let modelStore = Set(jar.allCookies(at: now).map(\.key))
        let browserStore = Set(capture.finalCookies.map(Self.key))
        for cookie in capture.finalCookies where !modelStore.contains(Self.key(cookie)) {
            disagreements.append(
                ModelDisagreement(cookie: cookie.name, url: cookie.domain, model: "absent", browser: "stored"))
            guard let url = try? CookieURL(parsing: "https://\(domain(cookie))\(cookie.path)") else { continue }
            let outcome = jar.receive(setCookie: line(for: cookie, now: now), from: url, at: now)
            // When it was stored is unknown: it is judged as of the end of the visit, after any choice.
            var hop = ObservedHop(url: url, status: 0, date: nil, outcomes: [outcome], source: .browserStore)
            hop.choice = choice
            hop.afterLogin = signedIn
            hops.append(hop)
        }
        // A failed visit's store is not the page's whole store: only a complete one can lack a cookie.
        if result.failure == nil {
            for key in modelStore where !browserStore.contains(key) {
                disagreements.append(
                    ModelDisagreement(cookie: key.name, url: key.domain, model: "stored", browser: "absent"))
            }
        }
        var observation = PageObservation(
            page: page, consentGiven: consentGiven, hops: hops,
            failure: result.failure.map { ObservedFailure(code: $0.code.rawValue, message: $0.message, url: $0.url) },
            evicted: PageObservation.evicted(from: hops, jar: jar))
        observation.runsScripts = true
        observation.finalURL = capture.finalURL
        observation.storage = capture.storage.map {
            ObservedStorage(origin: $0.origin, localKeys: $0.local, sessionKeys: $0.session)
        }
        observation.disagreements = disagreements
        return observation
    }

    /// A jar holding Chromium's store as the model reads it: a session signed in in the browser, for
    /// the visits that follow (with either engine).
    public static func jar(holding cookies: [BrowserCapture.StoredCookie], now: Date) -> CookieJar {
        var jar = CookieJar()
        for cookie in cookies {
            guard let url = try? CookieURL(parsing: "https://\(domain(cookie))\(cookie.path)") else { continue }
            _ = jar.receive(setCookie: line(for: cookie, now: now), from: url, at: now)
        }
        return jar
    }

    /// The model's identity of a cookie in Chromium's store: a leading dot marks a domain cookie.
    private static func key(_ cookie: BrowserCapture.StoredCookie) -> StoredCookie.Key {
        StoredCookie.Key(
            name: cookie.name, domain: domain(cookie), hostOnly: !cookie.domain.hasPrefix("."), path: cookie.path)
    }

    /// Chromium writes a domain cookie's domain with a leading dot; the model without.
    private static func domain(_ cookie: BrowserCapture.StoredCookie) -> String {
        cookie.domain.hasPrefix(".") ? String(cookie.domain.dropFirst()) : cookie.domain
    }

    /// A `Set-Cookie` line that stores `cookie` as Chromium holds it, for the audit of a cookie nothing
    /// else explains.
    private static func line(for cookie: BrowserCapture.StoredCookie, now: Date) -> String {
        var text = "\(cookie.name)=\(cookie.value); Path=\(cookie.path)"
        if cookie.domain.hasPrefix(".") { text += "; Domain=\(domain(cookie))" }
        if let expires = cookie.expires { text += "; Max-Age=\(max(1, Int(expires - now.timeIntervalSince1970)))" }
        if cookie.secure { text += "; Secure" }
        if cookie.httpOnly { text += "; HttpOnly" }
        if let sameSite = cookie.sameSite { text += "; SameSite=\(sameSite)" }
        if cookie.partitionTopLevelSite != nil { text += "; Partitioned" }
        return text
    }

    /// The model's verdict on one line against Chromium's; nil when they agree.
    static func compare(_ outcome: StorageOutcome, blocked: BrowserCapture.Blocked?, line: String, url: String)
        -> ModelDisagreement?
    {
        let name = outcome.setCookie?.name ?? outcome.rejection?.cookieName ?? "(unparsed)"
        let model: String
        switch outcome.decision {
        case .stored: model = "stored"
        case .deleted: model = "deleted"
        case .rejected(let rejection): model = "rejected: \(rejection.reason.rawValue)"
        }
        let modelStores = outcome.rejection == nil
        guard modelStores == (blocked != nil) else { return nil }
        let browser = blocked.map { "blocked: \($0.reasons.joined(separator: ", "))" } ?? "stored"
        return ModelDisagreement(cookie: name, url: url, model: model, browser: browser)
    }

    /// The schemeful site (scheme and registrable domain) that same-site rules compare.
    static func site(of url: CookieURL, _ publicSuffixes: any PublicSuffixList) -> String {
        "\(url.scheme)://\(publicSuffixes.registrableDomain(url.host) ?? url.host)"
    }
}
