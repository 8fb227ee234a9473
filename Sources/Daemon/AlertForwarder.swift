import AlertDelivery
import Foundation
import JournalLogging
import Logging
import Transport
import Watch

/// Sends each round's alerts to the webhook and Alertmanager on its own task, in order, so a slow or
/// dead receiver (retries with backoff) never holds up scanning. `alerts.jsonl` is written before.
final class AlertForwarder: Sendable {
    /// What one site round sends.
    struct Batch: Sendable {
        var webhook: [WebhookEvent]
        var alertmanager: [AlertmanagerAlert]
    }

    private let continuation: AsyncStream<Batch>.Continuation
    private let worker: Task<Void, Never>

    /// `settled` is told, for each webhook event, whether it is done with (accepted, or refused with a
    /// 4xx) or should be sent again later (its retries ran out).
    /// `logWindow` (seconds): a delivery failure that repeats (a rejected token, a receiver down) is
    /// logged once per window, with the count held back since.
    init(
        webhook: WebhookClient?, alertmanager: AlertmanagerClient?, logger: Logger, logWindow: Int64,
        settled: @escaping @Sendable (_ key: String, _ done: Bool) -> Void
    ) {
        let (stream, continuation) = AsyncStream.makeStream(of: Batch.self)
        self.continuation = continuation
        worker = Task {
            var gate = RepeatedErrorGate(window: logWindow)
            for await batch in stream {
                if let webhook {
                    for event in batch.webhook {
                        let result = await webhook.send(event)
                        guard !Task.isCancelled else { return }
                        settled(event.id, !result.isRetryable)
                        guard let failure = result.failure else { continue }
                        var metadata: Logger.Metadata = [
                            "event": "\(event.id)", "url": "\(webhook.url)", "error": "\(failure.message)",
                        ]
                        guard result.isRetryable else {
                            logger.error("webhook refused the event as invalid; it is dropped", metadata: metadata)
                            continue
                        }
                        let subject = "webhook\u{0}\(failure.code.rawValue)\u{0}\(result.status ?? 0)"
                        let now = Int64(Date().timeIntervalSince1970)
                        guard case .log(let suppressed) = gate.occurrence(of: subject, at: now) else { continue }
                        if suppressed > 0 { metadata["repeats"] = "\(suppressed)" }
                        logger.error(
                            "webhook delivery failed; the event stays pending and is sent again with the next alerts, at reload or at the next start",
                            metadata: metadata)
                    }
                }
                if let alertmanager, !batch.alertmanager.isEmpty {
                    let result = await alertmanager.send(batch.alertmanager)
                    if let failure = result.failure, !Task.isCancelled {
                        logger.error(
                            "Alertmanager delivery failed; it is sent again next round",
                            metadata: ["url": "\(alertmanager.baseURL)", "error": "\(failure.message)"])
                    }
                }
            }
        }
    }

    /// A batch: `events` for the webhook; for Alertmanager, after a site round, every alert firing now
    /// (ending after two intervals unless sent again), and every resolved one among `events` (ending now).
    static func batch(webhook events: [AlertEvent], round: DaemonCore.SiteRound?) -> Batch {
        let webhook = events.map { event in
            WebhookEvent(
                event: event.event.rawValue, alert: event.alert, time: event.time, site: event.finding.site,
                kind: event.finding.kind, cookie: event.finding.cookie, severity: event.finding.severity,
                message: event.finding.message, pages: event.finding.pages.map(\.description),
                pageCount: event.finding.pageCount)
        }
        var alerts: [AlertmanagerAlert] = []
        if let round {
            let until = round.time.addingTimeInterval(2 * TimeInterval(round.interval.components.seconds))
            alerts = round.firing.map { alert($0.finding, startsAt: $0.since, endsAt: until) }
            for event in round.events where event.event == .resolved {
                alerts.append(alert(event.finding, startsAt: event.since, endsAt: event.time))
            }
        }
        return Batch(webhook: webhook, alertmanager: alerts)
    }

    static func alert(_ finding: AlertFinding, startsAt: Date, endsAt: Date) -> AlertmanagerAlert {
        AlertmanagerAlert(
            id: finding.id, site: finding.site, kind: finding.kind, cookie: finding.cookie,
            severity: finding.severity, message: finding.message, startsAt: startsAt, endsAt: endsAt)
    }

    func enqueue(_ batch: Batch) {
        guard !batch.webhook.isEmpty || !batch.alertmanager.isEmpty else { return }
        continuation.yield(batch)
    }

    /// Stops taking batches and abandons the one in flight (its retries): used at shutdown.
    func stop() {
        continuation.finish()
        worker.cancel()
    }

    /// Stops taking batches and lets the queued ones go out: used when a reload replaces the sinks.
    func drain() {
        continuation.finish()
    }
}
