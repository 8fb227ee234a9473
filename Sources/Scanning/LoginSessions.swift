import Browser
import Config
import CookieModel
import Foundation
import Login
import Transport

/// The signed-in sessions of a round: each page variant that needs a login journey runs it at most
/// once per round (the first of its pages to be visited does, the others wait for it), and its pages
/// are visited with that session, or fail with the same `login-failed`. Ending a site's round logs
/// its sessions out and forgets them, so the next round signs in afresh.
public actor LoginSessions {
    private struct Key: Hashable {
        var site: String
        var variant: String
    }

    private struct Entry {
        var journey: LoginJourney
        var template: VisitRequest
        var task: Task<SignedInSession, Never>
    }

    private let runner: LoginRunner
    private var sessions: [Key: Entry] = [:]

    public init(runner: LoginRunner) {
        self.runner = runner
    }

    /// The session of `target`'s variant for this round, signing in if no page of it has yet: in
    /// Chromium when the variant uses the browser engine and the journey gives selectors, else
    /// through libcurl.
    func session(for target: ScanTarget, journey: LoginJourney, browser: BrowserEngine?) async -> SignedInSession {
        let key = Key(site: target.site, variant: target.variant.name)
        if let running = sessions[key] { return await running.task.value }
        let runner = runner
        let template = target.request
        let task: Task<SignedInSession, Never>
        if target.engine == .browser, let selectors = journey.selectors, let browser {
            task = Task {
                await SignedInSession.signIn(
                    journey, selectors: selectors, target: target, browser: browser, now: { Date() })
            }
        } else {
            task = Task { SignedInSession(await runner.signIn(journey, as: template)) }
        }
        sessions[key] = Entry(journey: journey, template: template, task: task)
        return await task.value
    }

    /// Logs out the sessions of `site` (every site when nil) and forgets them; returns what went wrong.
    public func endRound(site: String? = nil) async -> [String] {
        let ending = sessions.filter { site == nil || $0.key.site == site }
        for key in ending.keys { sessions[key] = nil }
        var problems: [String] = []
        for entry in ending.values {
            let session = await entry.task.value
            guard session.failure == nil else { continue }
            if let problem = await runner.signOut(session.jar, journey: entry.journey, as: entry.template) {
                problems.append(problem)
            }
        }
        return problems
    }
}
