import Audit
import Foundation

/// The approved state of the sites' cookies, pinned by a person with `cookiewatch baseline pin`:
/// per site and page variant, the cookie list that was current then. Drift is measured against it as
/// well as against the previous scan. Like history, it holds no cookie value.
public struct Baseline: Sendable, Hashable, Codable {
    /// The format this code writes; a newer one is refused rather than misread.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// When the latest pin was made (UTC, to the second).
    public var pinnedAt: Date
    /// Who made the latest pin.
    public var pinnedBy: String
    /// Pinned sites by name; each keeps when and by whom it was pinned.
    public var sites: [String: SiteBaseline]

    public init(
        formatVersion: Int = currentFormatVersion, pinnedAt: Date, pinnedBy: String, sites: [String: SiteBaseline]
    ) {
        self.formatVersion = formatVersion
        self.pinnedAt = pinnedAt
        self.pinnedBy = pinnedBy
        self.sites = sites
    }

    /// Pins `pages` as `site`'s approved state, replacing that site's earlier pin and keeping the other
    /// sites' pins.
    public mutating func pin(site: String, pages: [PinnedPage], at time: Date, by person: String) {
        pinnedAt = time
        pinnedBy = person
        sites[site] = SiteBaseline(pinnedAt: time, pinnedBy: person, pages: pages.sorted { $0.page < $1.page })
    }

    /// The changes from `page`'s pinned cookies to `current`, ordered by cookie identity (empty when
    /// they are the same); nil when the page variant is not pinned.
    public func drift(site: String, page: PageRef, current: [HistoryCookie]) -> [DriftEvent]? {
        guard let pinned = sites[site]?.pages.first(where: { $0.page == page }) else { return nil }
        return DriftEvent.between(previous: pinned.cookies, current: current)
    }
}

/// One site's pin: when, by whom, and the cookie list of each of its page variants.
public struct SiteBaseline: Sendable, Hashable, Codable {
    public var pinnedAt: Date
    public var pinnedBy: String
    /// Sorted by page.
    public var pages: [PinnedPage]

    public init(pinnedAt: Date, pinnedBy: String, pages: [PinnedPage]) {
        self.pinnedAt = pinnedAt
        self.pinnedBy = pinnedBy
        self.pages = pages
    }
}

/// A page variant's approved cookie list, as the history wrote it.
public struct PinnedPage: Sendable, Hashable, Codable {
    public var page: PageRef
    /// `HistoryRecord.digest(of: cookies)`.
    public var digest: String
    public var cookies: [HistoryCookie]

    public init(page: PageRef, digest: String, cookies: [HistoryCookie]) {
        self.page = page
        self.digest = digest
        self.cookies = cookies
    }

    /// The pin of `cookies`, with their digest.
    public init(page: PageRef, cookies: [HistoryCookie]) {
        self.init(page: page, digest: HistoryRecord.digest(of: cookies), cookies: cookies)
    }
}
