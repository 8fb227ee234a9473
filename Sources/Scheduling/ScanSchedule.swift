/// When each page variant is scanned next: a value state machine, tested with explicit times.
///
/// Each job runs on a grid of its interval, shifted by a stable offset taken from a hash of its id, so
/// that restarts keep the spread and a thousand pages never fire in the same second. Jitter is added
/// on top. A failed scan is retried sooner, backing off exponentially up to the normal interval, so a
/// passing fault is seen again quickly and a dead host is not hammered. Times are seconds on any clock.
public struct ScanSchedule: Sendable {
    /// One page variant to scan periodically.
    public struct Job: Sendable, Hashable {
        /// Stable across restarts and reloads: `site`, page URL and variant.
        public var id: String
        /// The host it fetches from, for the per-host cap.
        public var host: String
        public var interval: Int64
        public var jitter: Int64

        public init(id: String, host: String, interval: Int64, jitter: Int64) {
            self.id = id
            self.host = host
            self.interval = max(1, interval)
            self.jitter = max(0, jitter)
        }
    }

    /// The first retry after a failure; doubled per consecutive failure, capped at the job's interval.
    public static let defaultFirstRetry: Int64 = 60
    /// This schedule's first retry (the daemon's test speedup shortens it).
    public let firstRetry: Int64

    struct Entry: Sendable {
        var job: Job
        var due: Int64
        var failures: Int
        var running: Bool
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var jitterState: UInt64

    /// Schedules `jobs` from `now`; `seed` drives the jitter (a test passes a fixed one).
    public init(jobs: [Job], now: Int64, seed: UInt64, firstRetry: Int64 = defaultFirstRetry) {
        jitterState = seed | 1
        self.firstRetry = max(1, firstRetry)
        replace(jobs: jobs, now: now)
    }

    /// Takes a new job list (after a reload): kept jobs keep their due time and failure count, new ones
    /// are placed on their grid, removed ones are forgotten (a running one finishes without a reschedule).
    public mutating func replace(jobs: [Job], now: Int64) {
        var next: [String: Entry] = [:]
        for job in jobs {
            if var kept = entries[job.id] {
                if kept.job.interval != job.interval { kept.due = min(kept.due, Self.slot(after: now, for: job)) }
                kept.job = job
                next[job.id] = kept
            } else {
                next[job.id] = Entry(
                    job: job, due: Self.slot(after: now, for: job) + nextJitter(job), failures: 0, running: false)
            }
        }
        entries = next
        order = jobs.map(\.id)
    }

    /// The jobs to start now, oldest due first, within the global and per-host caps; they are marked running.
    public mutating func start(at now: Int64, maxRunning: Int, maxRunningPerHost: Int) -> [Job] {
        var running = entries.values.filter(\.running).count
        var perHost: [String: Int] = [:]
        for entry in entries.values where entry.running { perHost[entry.job.host, default: 0] += 1 }
        let ready = order.compactMap { entries[$0] }.filter { !$0.running && $0.due <= now }.sorted {
            ($0.due, $0.job.id) < ($1.due, $1.job.id)
        }
        var started: [Job] = []
        for entry in ready where running < maxRunning && perHost[entry.job.host, default: 0] < maxRunningPerHost {
            entries[entry.job.id]?.running = true
            running += 1
            perHost[entry.job.host, default: 0] += 1
            started.append(entry.job)
        }
        return started
    }

    /// Records a finished scan and places the job's next run: its next grid slot after success, a
    /// backed-off retry after failure.
    public mutating func finish(_ id: String, succeeded: Bool, at now: Int64) {
        guard var entry = entries[id] else { return }
        entry.running = false
        if succeeded {
            entry.failures = 0
            entry.due = Self.slot(after: now, for: entry.job) + nextJitter(entry.job)
        } else {
            entry.failures += 1
            let backoff = firstRetry << Int64(min(entry.failures - 1, 20))
            entry.due = now + min(entry.job.interval, backoff) + nextJitter(entry.job) / 2
        }
        entries[id] = entry
    }

    /// When the earliest idle job is due: the daemon sleeps until then (no polling); nil when every job runs.
    public var nextDue: Int64? { entries.values.filter { !$0.running }.map(\.due).min() }

    /// The due time of one job, for status lines and state.json.
    public func due(_ id: String) -> Int64? { entries[id]?.due }

    /// Consecutive failures of one job.
    public func failures(_ id: String) -> Int { entries[id]?.failures ?? 0 }

    /// Restores a due time and failure count saved in state.json (after a restart).
    public mutating func restore(_ id: String, due: Int64, failures: Int) {
        entries[id]?.due = due
        entries[id]?.failures = failures
    }

    /// The first point of the job's grid strictly after `now`: `offset + k * interval`.
    static func slot(after now: Int64, for job: Job) -> Int64 {
        let offset = Int64(stableHash(job.id) % UInt64(job.interval))
        let k = (now - offset) / job.interval + 1
        return offset + k * job.interval
    }

    /// FNV-1a: stable across runs and platforms, unlike Swift's seeded `Hasher`.
    static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }

    /// A jitter in `0...job.jitter` from a xorshift generator: deterministic for a seed.
    private mutating func nextJitter(_ job: Job) -> Int64 {
        guard job.jitter > 0 else { return 0 }
        jitterState ^= jitterState << 13
        jitterState ^= jitterState >> 7
        jitterState ^= jitterState << 17
        return Int64(jitterState % UInt64(job.jitter + 1))
    }
}
