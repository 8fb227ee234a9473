import Audit
import Foundation
import Watch

/// A site's latest cookies against its pinned baseline: what changed since someone approved them.
public struct BaselineComparison: Sendable {
    /// When and by whom the site was pinned (Unix seconds).
    public var pinnedAt: Int64
    public var pinnedBy: String
    /// From each pinned page variant's list to its latest one, by page then cookie identity.
    public var changes: [BaselineChange]
    /// Pinned page variants with no cookie list in the history read (not scanned since, or removed).
    public var missingPages: [PageRef]
    /// Page variants with a cookie list that the baseline does not pin (added after the pin).
    public var unpinnedPages: [PageRef]

    /// Compares `site`'s latest lists with `baseline`; nil when the site is not pinned.
    static func compare(site: String, latest: [PinnedPage], with baseline: Baseline) -> BaselineComparison? {
        guard let pin = baseline.sites[site] else { return nil }
        var changes: [BaselineChange] = []
        var unpinned: [PageRef] = []
        for list in latest.sorted(by: { $0.page < $1.page }) {
            guard let events = baseline.drift(site: site, page: list.page, current: list.cookies) else {
                unpinned.append(list.page)
                continue
            }
            changes += events.map { BaselineChange(page: list.page, event: $0) }
        }
        let current = Set(latest.map(\.page))
        return BaselineComparison(
            pinnedAt: Int64(pin.pinnedAt.timeIntervalSince1970.rounded(.down)), pinnedBy: pin.pinnedBy,
            changes: changes, missingPages: pin.pages.map(\.page).filter { !current.contains($0) },
            unpinnedPages: unpinned)
    }
}

/// One cookie of one page variant that differs from the pin: `before` is the pinned state.
public struct BaselineChange: Sendable, Hashable {
    public var page: PageRef
    public var event: DriftEvent
}
