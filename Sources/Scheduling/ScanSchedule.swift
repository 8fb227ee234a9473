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
        /// The job's host, as an index into `hosts`.
        var host: Int
        var due: Int64
        var failures: Int
        var running: Bool
        /// Waiting in its host's `blocked` queue rather than in `queue`.
        var blocked: Bool
    }

    /// Each job by its slot, its place in the list it came with: the queues hold slots, and everything a
    /// visit does to the schedule is an array access by slot. Keyed by id, starting and finishing a
    /// visit hashed its long id about eight times.
    private var entries: [Entry] = []
    /// The slot of each job id.
    private var slots: [String: Int] = [:]
    /// The first slot of an id listed more than once, by the later slots (none in a valid configuration).
    private var firstSlots: [Int: Int] = [:]
    /// The distinct hosts, and each one's index.
    private var hosts: [String: Int] = [:]
    /// Idle jobs by due time: finding what is due costs O(log n) per job started, not a pass over
    /// every job, so a round is linear in its pages.
    private var queue = DueQueue()
    /// Jobs that were due while their host was at its cap, by host index, until a slot of that host frees.
    private var blocked: [Int: DueQueue] = [:]
    /// Where each slot is in the queue that holds it (`queue`, or its host's `blocked` queue); -1 in none.
    private var places: [Int32] = []
    private var running = 0
    private var runningPerHost: [Int] = []
    private var jitterState: UInt64

    /// Schedules `jobs` from `now`; `seed` drives the jitter (a test passes a fixed one).
    public init(jobs: [Job], now: Int64, seed: UInt64, firstRetry: Int64 = defaultFirstRetry) {
        jitterState = seed | 1
        self.firstRetry = max(1, firstRetry)
        replace(jobs: jobs, now: now)
    }

    /// Takes a new job list (after a reload): kept jobs keep their due time and failure count, new ones
    /// are placed on their grid, removed ones are forgotten (a running one finishes without a reschedule).
    /// A job's slot is its index in `jobs`; an id listed twice is scheduled once, at its first slot.
    public mutating func replace(jobs: [Job], now: Int64) {
        let previous = entries
        let previousSlots = slots
        entries = []
        entries.reserveCapacity(jobs.count)
        slots = [:]
        slots.reserveCapacity(jobs.count)
        firstSlots = [:]
        hosts = [:]
        queue = DueQueue()
        blocked = [:]
        places = Array(repeating: -1, count: jobs.count)
        running = 0
        runningPerHost = []
        var lastHost: (name: String, index: Int)?
        for (slot, job) in jobs.enumerated() {
            // Consecutive jobs mostly share a host (and its string): compared, not hashed.
            let host: Int
            if let lastHost, lastHost.name == job.host {
                host = lastHost.index
            } else {
                host = hostIndex(job.host)
                lastHost = (job.host, host)
            }
            if let first = slots.updateValue(slot, forKey: job.id) {
                // Never queued: the first slot of the id is the job.
                slots[job.id] = first
                firstSlots[slot] = first
                entries.append(Entry(job: job, host: host, due: .max, failures: 0, running: false, blocked: false))
                continue
            }
            var entry: Entry
            if !previousSlots.isEmpty, let kept = previousSlots[job.id].map({ previous[$0] }) {
                entry = kept
                if kept.job.interval != job.interval { entry.due = min(kept.due, Self.slot(after: now, for: job)) }
                entry.job = job
                entry.host = host
                entry.blocked = false
            } else {
                entry = Entry(
                    job: job, host: host, due: Self.slot(after: now, for: job) + nextJitter(job), failures: 0,
                    running: false, blocked: false)
            }
            entries.append(entry)
            if entry.running {
                running += 1
                runningPerHost[host] += 1
            } else {
                enqueue(slot)
            }
        }
    }

    /// The index of `host`, added if new.
    private mutating func hostIndex(_ host: String) -> Int {
        if let index = hosts[host] { return index }
        hosts[host] = runningPerHost.count
        runningPerHost.append(0)
        return runningPerHost.count - 1
    }

    /// The slot of the job with this id in the current list; nil when it has none.
    public func slot(of id: String) -> Int? { slots[id] }

    /// The jobs to start now, oldest due first, within the global and per-host caps; they are marked running.
    public mutating func start(at now: Int64, maxRunning: Int, maxRunningPerHost: Int) -> [Job] {
        startSlots(at: now, maxRunning: maxRunning, maxRunningPerHost: maxRunningPerHost).map { entries[$0].job }
    }

    /// `start`, as the slots of the jobs started.
    public mutating func startSlots(at now: Int64, maxRunning: Int, maxRunningPerHost: Int) -> [Int] {
        // A host with free slots gets its blocked jobs back in line.
        for host in Array(blocked.keys) {
            var free = maxRunningPerHost - runningPerHost[host]
            while free > 0, let item = blocked[host]?.pop(&places) {
                entries[item.slot].blocked = false
                queue.set(item, &places)
                free -= 1
            }
            if blocked[host]?.isEmpty == true { blocked[host] = nil }
        }
        var started: [Int] = []
        while running < maxRunning, let top = queue.pop(&places) {
            guard top.due <= now else {
                queue.set(top, &places)
                break
            }
            let slot = top.slot
            guard !entries[slot].running else { continue }
            let host = entries[slot].host
            if runningPerHost[host] >= maxRunningPerHost {
                entries[slot].blocked = true
                blocked[host, default: DueQueue()].set(top, &places)
                continue
            }
            entries[slot].running = true
            running += 1
            runningPerHost[host] += 1
            started.append(slot)
        }
        return started
    }

    /// Records a finished scan and places the job's next run: its next grid slot after success, a
    /// backed-off retry after failure.
    public mutating func finish(_ id: String, succeeded: Bool, at now: Int64) {
        guard let slot = slots[id] else { return }
        finish(slot: slot, succeeded: succeeded, at: now)
    }

    /// `finish` by the job's slot.
    public mutating func finish(slot: Int, succeeded: Bool, at now: Int64) {
        let slot = firstSlots.isEmpty ? slot : firstSlots[slot] ?? slot
        if entries[slot].running {
            running -= 1
            runningPerHost[entries[slot].host] -= 1
        }
        entries[slot].running = false
        if succeeded {
            entries[slot].failures = 0
            entries[slot].due = Self.slot(after: now, for: entries[slot].job) + nextJitter(entries[slot].job)
        } else {
            entries[slot].failures += 1
            let backoff = firstRetry << Int64(min(entries[slot].failures - 1, 20))
            let job = entries[slot].job
            entries[slot].due = now + min(job.interval, backoff) + nextJitter(job) / 2
        }
        enqueue(slot)
    }

    /// When the earliest idle job that is not waiting for its host is due: the daemon sleeps until then
    /// (no polling); nil when none is.
    public var nextDue: Int64? { queue.top?.due }

    /// Puts an idle job in the queue at its due time (out of its host's blocked jobs, if there).
    private mutating func enqueue(_ slot: Int) {
        guard !entries[slot].running else { return }
        if entries[slot].blocked {
            let host = entries[slot].host
            blocked[host]?.remove(slot, &places)
            if blocked[host]?.isEmpty == true { blocked[host] = nil }
            entries[slot].blocked = false
        }
        queue.set(DueQueue.Item(due: entries[slot].due, slot: slot), &places)
    }

    /// The due time of one job, for status lines and state.json.
    public func due(_ id: String) -> Int64? { slots[id].map { entries[$0].due } }

    /// `due` by the job's slot.
    public func due(slot: Int) -> Int64 {
        entries[firstSlots.isEmpty ? slot : firstSlots[slot] ?? slot].due
    }

    /// Consecutive failures of one job.
    public func failures(_ id: String) -> Int { slots[id].map { entries[$0].failures } ?? 0 }

    /// Restores a due time and failure count saved in state.json (after a restart).
    public mutating func restore(_ id: String, due: Int64, failures: Int) {
        guard let slot = slots[id] else { return }
        restore(slot: slot, due: due, failures: failures)
    }

    /// `restore` by the job's slot.
    public mutating func restore(slot: Int, due: Int64, failures: Int) {
        let slot = firstSlots.isEmpty ? slot : firstSlots[slot] ?? slot
        entries[slot].due = due
        entries[slot].failures = failures
        enqueue(slot)
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
/// and inserting, moving or removing one costs O(log n). Positions are kept by slot, an integer, in an
/// array: keyed by the id, each swap hashed two long strings (most of the cost of starting a visit in a
/// round), and keyed by slot in a dictionary, two integers.
/// Jobs due at the same second go in slot order, the configuration's: ordered by id, a round where
/// every page is due at once compared two long strings at each step of the heap.
struct DueQueue: Sendable {
    struct Item: Sendable {
        var due: Int64
        var slot: Int

        func precedes(_ other: Item) -> Bool { due != other.due ? due < other.due : slot < other.slot }
    }

    private var items: [Item] = []

    var top: Item? { items.first }
    var isEmpty: Bool { items.isEmpty }

    // `places` is the schedule's: where each slot is in the queue that holds it, -1 in none. A slot is in
    // one queue at most, so one array serves the schedule's queue and every host's blocked queue (a
    // dictionary of positions per queue hashed a slot twice at each step of the heap).

    /// Queues `item`, or moves its job to `item.due` if it is queued here already.
    mutating func set(_ item: Item, _ places: inout [Int32]) {
        let index = Int(places[item.slot])
        if index >= 0 {
            items[index].due = item.due
            siftDown(siftUp(index, &places), &places)
        } else {
            items.append(item)
            places[item.slot] = Int32(items.count - 1)
            _ = siftUp(items.count - 1, &places)
        }
    }

    mutating func remove(_ slot: Int, _ places: inout [Int32]) {
        let index = Int(places[slot])
        guard index >= 0 else { return }
        places[slot] = -1
        let last = items.count - 1
        if index != last {
            items[index] = items[last]
            places[items[index].slot] = Int32(index)
        }
        items.removeLast()
        if index < items.count { siftDown(siftUp(index, &places), &places) }
    }

    mutating func pop(_ places: inout [Int32]) -> Item? {
        guard let first = items.first else { return nil }
        remove(first.slot, &places)
        return first
    }

    private mutating func swap(_ a: Int, _ b: Int, _ places: inout [Int32]) {
        items.swapAt(a, b)
        places[items[a].slot] = Int32(a)
        places[items[b].slot] = Int32(b)
    }

    private mutating func siftUp(_ start: Int, _ places: inout [Int32]) -> Int {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            swap(child, parent, &places)
            child = parent
        }
        return child
    }

    private mutating func siftDown(_ start: Int, _ places: inout [Int32]) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, items[left].precedes(items[smallest]) { smallest = left }
            if right < items.count, items[right].precedes(items[smallest]) { smallest = right }
            guard smallest != parent else { return }
            swap(parent, smallest, &places)
            parent = smallest
        }
    }
}
