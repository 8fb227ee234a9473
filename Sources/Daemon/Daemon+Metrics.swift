import Audit
import Config
import Foundation
import LocalHTTP
import Metrics
import Transport

/// The daemon's Prometheus metrics: kept up to date by the loop, served on `metrics.listen`.
extension Daemon {
    /// The metrics as the saved state has them at start: sites, standing findings, alerts firing.
    static func initialMetrics(_ core: DaemonCore, usesBrowser: Bool) -> MetricsBoard {
        var metrics = DaemonMetrics(
            version: BuildInfo.version, commit: BuildInfo.commit, startTime: Date().timeIntervalSince1970)
        metrics.configure(pageVariants: core.pageVariantCounts)
        for site in core.pageVariantCounts.keys { apply(core.standing(site: site), site: site, to: &metrics) }
        if usesBrowser { metrics.browserRestarts = 0 }
        metrics.webhookPending = core.webhookPendingCount
        return MetricsBoard(metrics)
    }

    private static func apply(
        _ standing: (findings: [DaemonMetrics.FindingLabels: Int], alertsFiring: Int, cookiesStored: Int?),
        site: String, to metrics: inout DaemonMetrics
    ) {
        metrics.standing(
            site: site, findings: standing.findings, alertsFiring: standing.alertsFiring,
            cookiesStored: standing.cookiesStored)
    }

    /// Listens on `settings` and serves `/metrics` from `board`; nil without settings. The server keeps no
    /// requests, takes at most 16 connections and drops one idle for 30 s.
    static func metricsEndpoint(_ settings: MetricsSettings?, board: MetricsBoard) throws(DaemonStartupError)
        -> LocalHTTPServer?
    {
        guard let settings else { return nil }
        let metrics: LocalHTTPServer.Handler = { request in
            guard request.method == "GET" else {
                return .respond(Response(status: 405, headers: [HeaderLine("Allow", "GET")], body: "GET only\n"))
            }
            return .respond(
                Response(
                    headers: [HeaderLine("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                    body: board.render()))
        }
        let index: LocalHTTPServer.Handler = { _ in
            .respond(
                Response(
                    headers: [HeaderLine("Content-Type", "text/html; charset=utf-8")],
                    body: "<!doctype html><title>cookiewatch</title><p><a href=\"/metrics\">Metrics</a></p>\n"))
        }
        do {
            return try LocalHTTPServer(
                addresses: [settings.host], port: settings.port, routes: ["/metrics": metrics, "/": index],
                keepsRequests: false, maxConnections: 16, idleTimeout: .seconds(30))
        } catch {
            throw DaemonStartupError("metrics.listen \(settings.host):\(settings.port): \(error)")
        }
    }

    /// A finished visit: counted, timed, its failure code (one the daemon knows, or `other`) counted.
    func noteVisit(site: String?, _ observation: PageObservation, duration: Duration) {
        guard let site else { return }
        let code = observation.failure.map { FetchFailure.Code(rawValue: $0.code)?.rawValue ?? "other" }
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let restarts = browser?.supervisor.restartsSoFar
        metrics.update { metrics in
            metrics.recordScan(site: site, failureCode: code, seconds: seconds)
            if let restarts { metrics.browserRestarts = restarts }
        }
    }

    /// A site's round completed: what stands for it now.
    func noteRound(_ round: DaemonCore.SiteRound) {
        let standing = core.standing(site: round.site)
        metrics.update { metrics in
            Self.apply(standing, site: round.site, to: &metrics)
            metrics.roundCompleted(site: round.site, time: round.time.timeIntervalSince1970, succeeded: round.complete)
        }
    }

    /// After a flush: the webhook backlog.
    func noteFlush() {
        let pending = core.webhookPendingCount
        metrics.update { $0.webhookPending = pending }
    }

    /// After a reload: the configured sites, each with what the state says of it now (a kept site may
    /// have lost page variants), and the webhook backlog (gone with the webhook).
    func noteReload() {
        let counts = core.pageVariantCounts
        let standings = counts.keys.map { ($0, core.standing(site: $0)) }
        let pending = core.webhookPendingCount
        let usesBrowser = browser != nil
        metrics.update { metrics in
            metrics.configure(pageVariants: counts)
            for (site, standing) in standings { Self.apply(standing, site: site, to: &metrics) }
            metrics.webhookPending = pending
            if usesBrowser, metrics.browserRestarts == nil { metrics.browserRestarts = 0 }
        }
    }
}
