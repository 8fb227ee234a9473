import Config
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

    private let runner: LoginRunner
    private var sessions: [Key: (journey: LoginJourney, template: VisitRequest, task: Task<LoginSession, Never>)] = [:]

    public init(runner: LoginRunner) {
        self.runner = runner
    }

    /// The session of `target`'s variant for this round, signing in if no page of it has yet.
    func session(for target: ScanTarget, journey: LoginJourney) async -> LoginSession {
        let key = Key(site: target.site, variant: target.variant.name)
        if let running = sessions[key] { return await running.task.value }
        let runner = runner
        let template = target.request
        let task = Task { await runner.signIn(journey, as: template) }
        sessions[key] = (journey, template, task)
        return await task.value
    }

    /// Logs out the sessions of `site` (every site when nil) and forgets them; returns what went wrong.
    public func endRound(site: String? = nil) async -> [String] {
        let ending = sessions.filter { site == nil || $0.key.site == site }
        for key in ending.keys { sessions[key] = nil }
        var problems: [String] = []
        for (_, entry) in ending {
            let session = await entry.task.value
            if let problem = await runner.signOut(session, journey: entry.journey, as: entry.template) {
                problems.append(problem)
            }
        }
        return problems
    }
}
