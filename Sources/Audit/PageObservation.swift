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

/// One response of a visit.
public struct ObservedHop: Sendable {
    public var url: CookieURL
    public var status: Int
    /// The response's `Date` header: lifetimes are measured from it, not from the scanner's clock.
    public var date: Date?
    /// Every `Set-Cookie` of the response, in order, as the browser model decided.
    public var outcomes: [StorageOutcome]

    public init(url: CookieURL, status: Int, date: Date?, outcomes: [StorageOutcome]) {
        self.url = url
        self.status = status
        self.date = date
        self.outcomes = outcomes
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
