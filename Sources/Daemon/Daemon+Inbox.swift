import Audit
import Glibc
import Transport
import Watch

extension Daemon {
    /// Where the loop's events arrive. Created first thing in `run` with the signal handlers in place,
    /// so a SIGTERM during start-up is a clean stop once start-up is done, not a kill.
    public final class Inbox: Sendable {
        enum Event: Sendable {
            /// A visit finished, with how long it took and, when it succeeded, its cookies as history
            /// keeps them (listed on the visit's task, off the loop).
            case visited(jobID: String, observation: PageObservation, listed: ListedCookies?, duration: Duration)
            case wake
            case signal(Int32)
            /// The webhook is done with an event (`done`), or its retries ran out.
            case webhook(key: String, done: Bool)
            /// Visits recorded since the last flush are to be made durable: queued behind the visits
            /// that finished meanwhile, so that one fsync covers them all (group commit).
            case flush
            /// The commit in flight is over (`Committer.takeOutcome`).
            case committed
        }
        let events: AsyncStream<Event>
        let continuation: AsyncStream<Event>.Continuation
        private let signals: SignalEvents

        /// Takes over SIGHUP, SIGTERM and SIGINT.
        public init() {
            let (events, continuation) = AsyncStream.makeStream(of: Event.self)
            self.events = events
            self.continuation = continuation
            signals = SignalEvents([SIGHUP, SIGTERM, SIGINT]) { continuation.yield(.signal($0)) }
        }
    }
}
