import Browser
import Config
import CookieModel
import Foundation
import Login
import Transport

/// The signed-in sessions of a round: each page variant that needs a login journey runs it at most
/// once per round (the first of its pages to be visited does, the others wait for it), and its pages
/// are visited with that session, or fail with the same `login-failed`.
///
/// Ending a site's round closes its sessions: the next visits sign in afresh, and a closed session
/// is logged out once the last visit using it is over, never under a visit in flight. A session the
/// server ended (a visit sent back to the login page) is dropped the same way, without a logout.
public actor LoginSessions {
    /// The whole variant, not only its name: two pages may each have a `signed-in` variant with other
    /// cookies, headers or journeys.
    private struct Key: Hashable {
        var site: String
        var variant: Variant
    }

    private struct Entry {
        var key: Key
        var journey: LoginJourney
        var template: VisitRequest
        var task: Task<SignedInSession, Never>
        var users = 0
        var closed = false
        /// The server ended it: nothing to log out.
        var ended = false
    }

    /// A visit's hold on a session, given back with `release`.
    public struct Ticket: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    private let runner: LoginRunner
    private var open: [Key: UInt64] = [:]
    private var entries: [UInt64: Entry] = [:]
    private var nextID: UInt64 = 0
    /// Logouts that did not go through since the last `endRound`, as sentences.
    private var problems: [String] = []

    public init(runner: LoginRunner) {
        self.runner = runner
    }

    /// The session of `target`'s variant for this round, signing in if no page of it has yet: in
    /// Chromium when the variant uses the browser engine and the journey gives selectors, else
    /// through libcurl. Hold it until `release`.
    func acquire(for target: ScanTarget, journey: LoginJourney, browser: BrowserEngine?) async -> (
        Ticket, SignedInSession
    ) {
        let key = Key(site: target.site, variant: target.variant)
        let id: UInt64
        if let existing = open[key] {
            id = existing
        } else {
            nextID += 1
            id = nextID
            let runner = runner
            let template = target.request
            let task: Task<SignedInSession, Never>
            if target.engine == .browser, let selectors = journey.selectors, let browser {
                task = Task {
                    await SignedInSession.signIn(
                        journey, selectors: selectors, target: target, browser: browser, now: { Date() })
                }
            } else {
                task = Task { SignedInSession(await runner.signIn(journey, as: template), now: Date()) }
            }
            open[key] = id
            entries[id] = Entry(key: key, journey: journey, template: template, task: task)
        }
        entries[id]?.users += 1
        let session = await entries[id]?.task.value ?? SignedInSession(hops: [], jar: CookieJar(), failure: nil)
        return (Ticket(id: id), session)
    }

    /// Gives the session back; the last visit of a closed session logs it out.
    func release(_ ticket: Ticket) async {
        entries[ticket.id]?.users -= 1
        await logOutIfDone(ticket.id)
    }

    /// The server ended the session (a visit was sent back to the login page): the next visit of the
    /// variant signs in again.
    func ended(_ ticket: Ticket) {
        guard let entry = entries[ticket.id] else { return }
        entries[ticket.id]?.ended = true
        entries[ticket.id]?.closed = true
        if open[entry.key] == ticket.id { open[entry.key] = nil }
    }

    /// Closes the sessions of `site` (every site when nil): logged out now, or when their last visit
    /// ends. Returns the logouts that went wrong since the last call.
    public func endRound(site: String? = nil) async -> [String] {
        let closing = open.filter { site == nil || $0.key.site == site }
        for (key, id) in closing {
            open[key] = nil
            entries[id]?.closed = true
        }
        for id in closing.values { await logOutIfDone(id) }
        defer { problems = [] }
        return problems
    }

    private func logOutIfDone(_ id: UInt64) async {
        guard let entry = entries[id], entry.closed, entry.users == 0 else { return }
        entries[id] = nil
        let session = await entry.task.value
        guard session.failure == nil, !entry.ended else { return }
        if let problem = await runner.signOut(session.jar, journey: entry.journey, as: entry.template) {
            problems.append(problem)
        }
    }
}
