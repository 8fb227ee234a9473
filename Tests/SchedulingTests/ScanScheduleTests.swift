import Scheduling
import Testing

@Suite("Scan schedule")
struct ScanScheduleTests {
    func jobs(_ count: Int, host: (Int) -> String = { _ in "a.example" }, interval: Int64 = 3600, jitter: Int64 = 0)
        -> [ScanSchedule.Job]
    {
        (0..<count).map {
            ScanSchedule.Job(
                id: "site https://a.example/\($0) no-consent", host: host($0), interval: interval, jitter: jitter)
        }
    }

    @Test("jobs spread over their interval by a stable offset, the same after a restart")
    func spread() {
        let all = jobs(200)
        let first = ScanSchedule(jobs: all, now: 1_000_000, seed: 1)
        let restarted = ScanSchedule(jobs: all, now: 1_000_000 + 3 * 3600 + 17, seed: 2)
        let dues = all.map { first.due($0.id) ?? 0 }
        #expect(dues.allSatisfy { $0 > 1_000_000 && $0 <= 1_000_000 + 3600 })
        // 200 jobs in one hour: no second holds more than a handful.
        #expect(Dictionary(grouping: dues, by: { $0 }).values.map(\.count).max() ?? 0 <= 3)
        // Same phase on the grid after a restart: due times differ by whole intervals.
        for job in all { #expect(((restarted.due(job.id) ?? 0) - (first.due(job.id) ?? 0)) % 3600 == 0) }
    }

    @Test("start honours the global and per-host caps and hands out the oldest due first")
    func caps() {
        var schedule = ScanSchedule(jobs: jobs(10, host: { $0 < 6 ? "a.example" : "b.example" }), now: 0, seed: 1)
        let started = schedule.start(at: 10_000, maxRunning: 4, maxRunningPerHost: 2)
        #expect(started.count == 4)
        #expect(Dictionary(grouping: started, by: \.host).mapValues(\.count) == ["a.example": 2, "b.example": 2])
        #expect(schedule.start(at: 10_000, maxRunning: 4, maxRunningPerHost: 2).isEmpty)
        schedule.finish(started[0].id, succeeded: true, at: 10_001)
        let next = schedule.start(at: 10_001, maxRunning: 4, maxRunningPerHost: 2)
        #expect(next.count == 1 && next[0].host == started[0].host)
    }

    @Test("jobs due at the same second start in the order they were configured, whatever their ids")
    func sameSecondInConfigurationOrder() {
        let ids = ["zeta", "alpha", "mu", "beta", "omega", "delta"]
        let jobs = ids.map { ScanSchedule.Job(id: $0, host: "a.example", interval: 3600, jitter: 0) }
        var schedule = ScanSchedule(jobs: jobs, now: 0, seed: 1)
        for id in ids { schedule.restore(id, due: 100, failures: 0) }
        let started = schedule.start(at: 100, maxRunning: 4, maxRunningPerHost: 4).map(\.id)
        #expect(started == ["zeta", "alpha", "mu", "beta"])
        schedule.finish("zeta", succeeded: true, at: 101)
        #expect(schedule.start(at: 101, maxRunning: 4, maxRunningPerHost: 4).map(\.id) == ["omega"])
    }

    @Test("after success the next run is the next grid slot; after failures retries back off up to the interval")
    func backoff() throws {
        let job = jobs(1)[0]
        var schedule = ScanSchedule(jobs: [job], now: 0, seed: 1)
        let due = try #require(schedule.due(job.id))
        _ = schedule.start(at: due, maxRunning: 1, maxRunningPerHost: 1)
        schedule.finish(job.id, succeeded: true, at: due + 5)
        #expect(schedule.due(job.id) == due + 3600)
        var now = due + 3600
        var waits: [Int64] = []
        for _ in 0..<8 {
            _ = schedule.start(at: now, maxRunning: 1, maxRunningPerHost: 1)
            schedule.finish(job.id, succeeded: false, at: now)
            let next = try #require(schedule.due(job.id))
            waits.append(next - now)
            now = next
        }
        #expect(waits == [60, 120, 240, 480, 960, 1920, 3600, 3600])
        #expect(schedule.failures(job.id) == 8)
        _ = schedule.start(at: now, maxRunning: 1, maxRunningPerHost: 1)
        schedule.finish(job.id, succeeded: true, at: now)
        #expect(schedule.failures(job.id) == 0)
    }

    @Test("a shorter first retry (the daemon's test speedup) shortens the whole backoff")
    func shorterFirstRetry() throws {
        let job = jobs(1)[0]
        var schedule = ScanSchedule(jobs: [job], now: 0, seed: 1, firstRetry: 1)
        var now = try #require(schedule.due(job.id))
        var waits: [Int64] = []
        for _ in 0..<3 {
            _ = schedule.start(at: now, maxRunning: 1, maxRunningPerHost: 1)
            schedule.finish(job.id, succeeded: false, at: now)
            let next = try #require(schedule.due(job.id))
            waits.append(next - now)
            now = next
        }
        #expect(waits == [1, 2, 4])
    }

    @Test("jitter stays within its bound and is reproducible for a seed")
    func jitter() {
        let all = jobs(50, jitter: 300)
        let a = ScanSchedule(jobs: all, now: 0, seed: 42)
        let b = ScanSchedule(jobs: all, now: 0, seed: 42)
        let plain = ScanSchedule(jobs: jobs(50), now: 0, seed: 42)
        for job in all {
            let extra = (a.due(job.id) ?? 0) - (plain.due(job.id) ?? 0)
            #expect((0...300).contains(extra))
            #expect(a.due(job.id) == b.due(job.id))
        }
    }

    @Test("a reload keeps existing jobs' times, adds new ones and drops removed ones; nextDue is the earliest idle job")
    func reload() throws {
        var schedule = ScanSchedule(jobs: jobs(3), now: 0, seed: 1)
        let kept = try #require(schedule.due(jobs(3)[0].id))
        let added = ScanSchedule.Job(
            id: "site https://a.example/new no-consent", host: "a.example", interval: 600, jitter: 0)
        schedule.replace(jobs: [jobs(3)[0], added], now: 100)
        #expect(schedule.due(jobs(3)[0].id) == kept)
        #expect(schedule.due(jobs(3)[2].id) == nil)
        #expect(try #require(schedule.due(added.id)) > 100)
        #expect(schedule.nextDue == min(kept, schedule.due(added.id) ?? .max))
        _ = schedule.start(at: 100_000, maxRunning: 10, maxRunningPerHost: 10)
        #expect(schedule.nextDue == nil)
    }

    @Test("an id listed twice is scheduled once, at its first slot; slots and ids name the same job")
    func duplicateIDs() throws {
        let list = jobs(3)
        var schedule = ScanSchedule(jobs: list + [list[1]], now: 0, seed: 1)
        #expect(schedule.slot(of: list[1].id) == 1)
        #expect(schedule.due(slot: 3) == schedule.due(list[1].id))
        let started = schedule.startSlots(at: 100_000, maxRunning: 10, maxRunningPerHost: 10)
        #expect(started.sorted() == [0, 1, 2])
        schedule.finish(slot: 3, succeeded: false, at: 100_001)
        #expect(schedule.failures(list[1].id) == 1)
        #expect(schedule.start(at: 100_001, maxRunning: 10, maxRunningPerHost: 10).isEmpty)
        #expect(schedule.start(at: 200_000, maxRunning: 10, maxRunningPerHost: 10).map(\.id) == [list[1].id])
    }

    @Test("random starts, finishes, restores and reloads: within the caps, and every job queued exactly once")
    func randomWalk() {
        let all = jobs(60, host: { ["a", "b", "c"][$0 % 3] + ".example" }, interval: 600, jitter: 30)
        var schedule = ScanSchedule(jobs: all, now: 0, seed: 7)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var running: [String: String] = [:]
        var now: Int64 = 0
        var order = all
        for _ in 0..<3_000 {
            switch next(4) {
            case 3:
                // A reload that moves every job to another slot, some of them running.
                order = Array(order.dropFirst(7) + order.prefix(7))
                schedule.replace(jobs: order, now: now)
            case 0:
                for job in schedule.start(at: now, maxRunning: 8, maxRunningPerHost: 3) {
                    #expect(running.updateValue(job.host, forKey: job.id) == nil, "\(job.id) started twice")
                }
                #expect(running.count <= 8)
                #expect(Dictionary(grouping: running.values, by: { $0 }).values.allSatisfy { $0.count <= 3 })
            case 1:
                guard let id = running.keys.sorted().dropFirst(next(max(1, running.count))).first else { break }
                running[id] = nil
                schedule.finish(id, succeeded: next(2) == 0, at: now)
            default:
                schedule.restore(all[next(all.count)].id, due: now + Int64(next(100)), failures: 0)
            }
            now += Int64(next(40))
        }
        for id in running.keys { schedule.finish(id, succeeded: true, at: now) }
        let rest = schedule.start(at: now + 10_000_000, maxRunning: 1_000, maxRunningPerHost: 1_000).map(\.id)
        #expect(rest.count == all.count)
        #expect(Set(rest) == Set(all.map(\.id)))
    }
}
