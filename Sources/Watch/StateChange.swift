import Foundation

/// One change to the daemon's saved state: a line of `state.journal`.
///
/// Every change is idempotent over a state that already holds it (a page or the alerts replaced by
/// the value they have, an event added to a set that has it, removed from one that lacks it), so
/// replaying a journal over a snapshot written after some of its lines gives the same state.
public enum StateChange: Sendable, Hashable {
    /// A page variant's memory, replacing what was saved for it.
    case page(PageState)
    /// The open alerts, replacing what was saved.
    case alerts(AlertLifecycle)
    /// The outbox, replacing what was saved (empty: none).
    case outbox([AlertEvent])
    /// Events the webhook has yet to accept.
    case pendingAdd([AlertEvent])
    /// Events it accepted (or refused for good), by `AlertEvent.key`.
    case pendingRemove([String])
}

extension StateChange: Codable {
    private enum Key: String, CodingKey {
        case page, alerts, outbox, pendingAdd, pendingRemove
    }

    /// One key per line, naming the change.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: [],
                    debugDescription: "expected exactly one of page, alerts, outbox, pendingAdd, pendingRemove"))
        }
        switch key {
        case .page: self = .page(try container.decode(PageState.self, forKey: key))
        case .alerts: self = .alerts(try container.decode(AlertLifecycle.self, forKey: key))
        case .outbox: self = .outbox(try container.decode([AlertEvent].self, forKey: key))
        case .pendingAdd: self = .pendingAdd(try container.decode([AlertEvent].self, forKey: key))
        case .pendingRemove: self = .pendingRemove(try container.decode([String].self, forKey: key))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .page(let page): try container.encode(page, forKey: .page)
        case .alerts(let alerts): try container.encode(alerts, forKey: .alerts)
        case .outbox(let events): try container.encode(events, forKey: .outbox)
        case .pendingAdd(let events): try container.encode(events, forKey: .pendingAdd)
        case .pendingRemove(let keys): try container.encode(keys, forKey: .pendingRemove)
        }
    }
}

extension AlertEvent {
    /// What an event is known by: its alert, transition and time. It is also the webhook's
    /// idempotency key (`WebhookEvent.id`).
    public var key: String { "\(alert)-\(event.rawValue)-\(Int64(time.timeIntervalSince1970))" }
}

extension WatchState {
    /// The state after `changes`, in order. Pages are kept by site and page while replaying, so a
    /// journal of N page lines replays in O(N), then sorted once.
    public func applying(_ changes: some Sequence<StateChange>) -> WatchState {
        var pages: [String: PageState] = [:]
        for page in self.pages { pages[Self.pageID(page)] = page }
        var alerts = self.alerts
        var outbox = self.outbox ?? []
        var pending = self.webhookPending ?? []
        var live = Set(pending.map(\.key))
        for change in changes {
            switch change {
            case .page(let page): pages[Self.pageID(page)] = page
            case .alerts(let lifecycle): alerts = lifecycle
            case .outbox(let events): outbox = events
            case .pendingAdd(let events):
                for event in events where live.insert(event.key).inserted { pending.append(event) }
            case .pendingRemove(let keys):
                for key in keys { live.remove(key) }
            }
        }
        var state = self
        state.pages = pages.values.sorted { ($0.site, $0.page) < ($1.site, $1.page) }
        state.alerts = alerts
        state.outbox = outbox.isEmpty ? nil : outbox
        var kept: Set<String> = []
        pending = pending.filter { live.contains($0.key) && kept.insert($0.key).inserted }
        state.webhookPending = pending.isEmpty ? nil : pending
        return state
    }

    private static func pageID(_ page: PageState) -> String { page.site + "\u{0}" + page.page.description }
}
