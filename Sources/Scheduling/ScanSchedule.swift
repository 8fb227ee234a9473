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
        /// The job's place in the list it came with: what the queues index it by.
        var slot: Int
        var due: Int64
        var failures: Int
        var running: Bool
    }

    private var entries: [String: Entry] = [:]
    /// The id of the job in each slot: the queues hold slots, integers, so that moving a job in a heap
    /// copies no string.
    private var idsBySlot: [String] = []
    /// Idle jobs by due time: finding what is due costs O(log n) per job started, not a pass over
    /// every job, so a round is linear in its pages.
    private var queue = DueQueue()
    /// Jobs that were due while their host was at its cap, by host, until a slot of that host frees.
    private var blocked: [String: DueQueue] = [:]
    private var running = 0
    private var runningPerHost: [String: Int] = [:]
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
        next.reserveCapacity(jobs.count)
        for (slot, job) in jobs.enumerated() {
            if var kept = entries[job.id] {
                if kept.job.interval != job.interval { kept.due = min(kept.due, Self.slot(after: now, for: job)) }
                kept.job = job
                kept.slot = slot
                next[job.id] = kept
            } else {
                next[job.id] = Entry(
                    job: job, slot: slot, due: Self.slot(after: now, for: job) + nextJitter(job), failures: 0,
                    running: false)
            }
        }
        entries = next
        idsBySlot = jobs.map(\.id)
        queue = DueQueue()
        blocked = [:]
        running = 0
        runningPerHost = [:]
        for id in jobs.map(\.id) {
            guard let entry = entries[id] else { continue }
            if entry.running {
                running += 1
                runningPerHost[entry.job.host, default: 0] += 1
            } else {
                enqueue(id)
            }
        }
    }

    /// The jobs to start now, oldest due first, within the global and per-host caps; they are marked running.
    public mutating func start(at now: Int64, maxRunning: Int, maxRunningPerHost: Int) -> [Job] {
        // A host with free slots gets its blocked jobs back in line.
        for host in Array(blocked.keys) {
            var free = maxRunningPerHost - runningPerHost[host, default: 0]
            while free > 0, let item = blocked[host]?.pop() {
                queue.set(item)
                free -= 1
            }
            if blocked[host]?.isEmpty == true { blocked[host] = nil }
        }
        var started: [Job] = []
        while running < maxRunning, let top = queue.pop() {
            guard top.due <= now else {
                queue.set(top)
                break
            }
            let id = idsBySlot[top.slot]
            guard var entry = entries[id], !entry.running else { continue }
            if runningPerHost[entry.job.host, default: 0] >= maxRunningPerHost {
                blocked[entry.job.host, default: DueQueue()].set(top)
                continue
            }
            entry.running = true
            entries[id] = entry
            running += 1
            runningPerHost[entry.job.host, default: 0] += 1
            started.append(entry.job)
        }
        return started
    }

    /// Records a finished scan and places the job's next run: its next grid slot after success, a
    /// backed-off retry after failure.
    public mutating func finish(_ id: String, succeeded: Bool, at now: Int64) {
        guard var entry = entries[id] else { return }
        if entry.running {
            running -= 1
            runningPerHost[entry.job.host, default: 1] -= 1
        }
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
        enqueue(id)
    }

    /// When the earliest idle job that is not waiting for its host is due: the daemon sleeps until then
    /// (no polling); nil when none is.
    public var nextDue: Int64? { queue.top?.due }

    /// Puts an idle job in the queue at its due time (out of its host's blocked jobs, if there).
    private mutating func enqueue(_ id: String) {
        guard let entry = entries[id], !entry.running else { return }
        blocked[entry.job.host]?.remove(entry.slot)
        queue.set(DueQueue.Item(due: entry.due, slot: entry.slot))
    }

    /// The due time of one job, for status lines and state.json.
    public func due(_ id: String) -> Int64? { entries[id]?.due }

    /// Consecutive failures of one job.
    public func failures(_ id: String) -> Int { entries[id]?.failures ?? 0 }

    /// Restores a due time and failure count saved in state.json (after a restart).
    public mutating func restore(_ id: String, due: Int64, failures: Int) {
        entries[id]?.due = due
        entries[id]?.failures = failures
        enqueue(id)
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

/// A binary min-heap of jobs by (due, slot), indexed by the job's slot: each job is in it at most once,
/// and inserting, moving or removing one costs O(log n). Positions are kept by slot, an integer: keyed
/// by the id, each swap hashed two long strings (most of the cost of starting a visit in a round).
/// Jobs due at the same second go in slot order, the configuration's: ordered by id, a round where
/// every page is due at once compared two long strings at each step of the heap.
struct DueQueue: Sendable {
    struct Item: Sendable {
        var due: Int64
        var slot: Int

        func precedes(_ other: Item) -> Bool { due != other.due ? due < other.due : slot < other.slot }
    }

    private var items: [Item] = []
    private var positions: [Int: Int] = [:]

    var top: Item? { items.first }
    var isEmpty: Bool { items.isEmpty }

    /// Queues `item`, or moves its job to `item.due` if it is queued already.
    mutating func set(_ item: Item) {
        if let index = positions[item.slot] {
            items[index].due = item.due
            siftDown(siftUp(index))
        } else {
            items.append(item)
            positions[item.slot] = items.count - 1
            _ = siftUp(items.count - 1)
        }
    }

    mutating func remove(_ slot: Int) {
        guard let index = positions.removeValue(forKey: slot) else { return }
        let last = items.count - 1
        if index != last {
            items[index] = items[last]
            positions[items[index].slot] = index
        }
        items.removeLast()
        if index < items.count { siftDown(siftUp(index)) }
    }

    mutating func pop() -> Item? {
        guard let first = items.first else { return nil }
        remove(first.slot)
        return first
    }

    private mutating func swap(_ a: Int, _ b: Int) {
        items.swapAt(a, b)
        positions[items[a].slot] = a
        positions[items[b].slot] = b
    }
    private mutating func siftUp(_ start: Int) -> Int {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            swap(child, parent)
            child = parent
        }
        return child
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, items[left].precedes(items[smallest]) { smallest = left }
            if right < items.count, items[right].precedes(items[smallest]) { smallest = right }
            guard smallest != parent else { return }
            swap(parent, smallest)
            parent = smallest
        }
    }
}
