import Charter
import CookieModel
import Foundation

/// What one visit of one page variant showed: every hop with its cookie outcomes, or why it failed.
///
/// Built by the scan path from a transport exchange; the audit reads nothing else, so it runs on
/// recorded or synthetic observations in tests.
public struct PageObservation: Sendable {
    public var page: PageRef
    /// Whether the variant stands for a visitor who has given consent.
    public var consentGiven: Bool
    public var hops: [ObservedHop]
    /// Why the visit did not complete, if it did not; the hops before the failure still count.
    public var failure: ObservedFailure?
    /// Cookies the page stored that the browser's store evicted before the visit ended (more than 180
    /// for one domain, or 3,000 in all): a browser never keeps them, so they are not audited.
    public var evicted: Set<StoredCookie.Key>
    /// Whether the engine runs the page's scripts (the browser engine): cookies charters mark as set by
    /// script are then expected to be seen.
    public var runsScripts = false
    /// Storage key names per origin (browser engine); values are never kept.
    public var storage: [ObservedStorage] = []
    /// `Set-Cookie` lines and stored cookies where the browser and cookiewatch's model decided differently.
    public var disagreements: [ModelDisagreement] = []
    /// Where the page's navigation ended (after its redirects), when it got a response.
    public var finalURL: String?
    /// Whether the variant was visited signed in (after a login journey): `after-login` charter entries
    /// are then expected.
    public var signedIn = false

    public init(
        page: PageRef, consentGiven: Bool, hops: [ObservedHop], failure: ObservedFailure? = nil,
        evicted: Set<StoredCookie.Key> = []
    ) {
        self.page = page
        self.consentGiven = consentGiven
        self.hops = hops
        self.failure = failure
        self.evicted = evicted
    }

    /// `evicted(from:finalStore:)` of the jar the visit stored into: none without a look when the jar
    /// never evicted a cookie (nearly every visit; each cookie was hashed twice to find that out).
    public static func evicted(from hops: [ObservedHop], jar: CookieJar) -> Set<StoredCookie.Key> {
        jar.evictions == 0 ? [] : evicted(from: hops, finalStore: jar.holds)
    }

    /// The cookies stored on `hops` and neither deleted later in the visit nor held by `finalStore`:
    /// those the store's limits evicted.
    public static func evicted(from hops: [ObservedHop], finalStore holds: (StoredCookie.Key) -> Bool)
        -> Set<StoredCookie.Key>
    {
        var stored: Set<StoredCookie.Key> = []
        for hop in hops {
            for outcome in hop.outcomes {
                switch outcome.decision {
                case .stored(let cookie, _): stored.insert(cookie.key)
                case .deleted(let key, _): stored.remove(key)
                case .rejected: continue
                }
            }
        }
        return stored.filter { !holds($0) }
    }
}

/// A page and the variant it was requested in.
public struct PageRef: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var url: String
    public var variant: String

    public init(url: String, variant: String) {
        self.url = url
        self.variant = variant
    }

    public var description: String { "\(url) [\(variant)]" }
    public static func < (a: PageRef, b: PageRef) -> Bool { (a.url, a.variant) < (b.url, b.variant) }
}

/// One response of a visit, or one cookie write of a script.
public struct ObservedHop: Sendable {
    /// The response's URL; for a script write, the URL of the document the script ran in.
    public var url: CookieURL
    /// The response's status; 0 for a script write.
    public var status: Int
    /// The response's `Date` header: lifetimes are measured from it, not from the scanner's clock.
    public var date: Date?
    /// Every `Set-Cookie` of the response, in order, as the browser model decided.
    public var outcomes: [StorageOutcome]
    /// What produced the cookies: the navigation, a subresource, a script.
    public var source: HopSource
    /// The visitor's choice on the consent banner before this hop (browser engine); nil before any
    /// choice, when the variant's `consentGiven` speaks.
    public var choice: ConsentChoice?
    /// Whether the response came once the visitor was signed in: the login's own answer and after.
    public var afterLogin = false

    public init(url: CookieURL, status: Int, date: Date?, outcomes: [StorageOutcome], source: HopSource = .navigation) {
        self.url = url
        self.status = status
        self.date = date
        self.outcomes = outcomes
        self.source = source
    }

    /// Who set the cookies, as tables and history show it: the response's URL, or the writing script's
    /// URL marked `(script)`.
    public var setBy: String {
        switch source {
        case .navigation, .subresource: url.description
        case .script(let script): "\(script ?? url.description) (script)"
        case .browserStore: "\(url.description) (browser store)"
        case .login: "\(url.description) (login)"
        }
    }
}

/// Where the cookies of an observed hop came from.
public enum HopSource: Sendable, Hashable {
    /// The page's navigation: the requested URL and its redirects.
    case navigation
    /// A response to a subresource or a frame (browser engine), with Chromium's resource type.
    case subresource(resourceType: String)
    /// A script write (browser engine): the writing script's URL when known.
    case script(scriptURL: String?)
    /// In the browser's final store with no response or script write that explains it.
    case browserStore
    /// A response of the variant's login journey: the login page, or the form's answer and its redirects.
    case login

    /// `navigation`, `subresource`, `script`, `browser-store` or `login`: for evidence and JSON.
    public var kind: String {
        switch self {
        case .navigation: "navigation"
        case .subresource: "subresource"
        case .script: "script"
        case .browserStore: "browser-store"
        case .login: "login"
        }
    }
}

/// Storage key names of one origin (localStorage / sessionStorage): ePrivacy art. 5(3) covers them too.
public struct ObservedStorage: Sendable, Hashable {
    public var origin: String
    public var localKeys: [String]
    public var sessionKeys: [String]

    public init(origin: String, localKeys: [String], sessionKeys: [String]) {
        self.origin = origin
        self.localKeys = localKeys
        self.sessionKeys = sessionKeys
    }
}

/// One place where Chromium and cookiewatch's cookie model decided differently. Never a value.
public struct ModelDisagreement: Sendable, Hashable {
    public var cookie: String
    /// The response or document URL.
    public var url: String
    /// What the model decided: `stored`, `deleted`, or `rejected: <reason>`; `absent` from its store.
    public var model: String
    /// What Chromium decided: `stored`, or `blocked: <reasons>`; `absent` from its store.
    public var browser: String

    public init(cookie: String, url: String, model: String, browser: String) {
        self.cookie = cookie
        self.url = url
        self.model = model
        self.browser = browser
    }
}

/// A failed fetch: a stable short code (`dns`, `timeout`, ...) and a sentence.
public struct ObservedFailure: Sendable, Hashable, Codable {
    public var code: String
    public var message: String
    public var url: String

    public init(code: String, message: String, url: String) {
        self.code = code
        self.message = message
        self.url = url
    }
}
