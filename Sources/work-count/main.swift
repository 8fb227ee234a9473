import Audit
import Charter
import Config
import CookieModel
import Daemon
import Foundation
import Transport
import Watch

// `work-count audit|daemon|rounds N`: one pass of the product's per-page work over N synthetic pages, each
// storing four cookies (one declared, three not, so findings gather every page), with no network.
// `WorkGrowthTests` runs it under `valgrind --tool=callgrind` for N and 4N pages and compares the
// instructions executed: a count of the work, not a timing, so it holds on a loaded machine.
//   audit:  the scan's incremental audit of every page, then its result (findings and cookie table).
//   rounds: the daemon's round bookkeeping alone (SiteRounds), on visits that set no cookie.
//   daemon: the daemon's first round: each visit finished by DaemonCore (history record, drift, the
//           round's audit and alert lifecycle at the end), its history line appended, its state saved.
// `work-count allocator default|fixed` instead says where a 1 MiB block goes after a 4 MiB one was
// freed ("mapped": its own mmap, given back when freed; "heap": kept in the heap), with glibc's
// default thresholds or after `ProcessMemory.returnLargeBlocksWhenFreed()`, as cookiewatch starts.

if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "allocator" {
    if CommandLine.arguments[2] == "fixed" { ProcessMemory.returnLargeBlocksWhenFreed() }
    let large = UnsafeMutableRawPointer.allocate(byteCount: 4 << 20, alignment: 16)
    large.initializeMemory(as: UInt8.self, repeating: 1, count: 4 << 20)
    large.deallocate()  // glibc's default raises its thresholds to this size here
    let before = ProcessMemory.mappedBytes
    let block = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
    print(ProcessMemory.mappedBytes - before >= 1 << 20 ? "mapped" : "heap")
    block.deallocate()
    exit(0)
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let pages = Int(arguments[2]), pages >= 0,
    ["audit", "daemon", "rounds"].contains(arguments[1])
else {
    FileHandle.standardError.write(Data("usage: work-count audit|daemon|rounds PAGES\n".utf8))
    exit(2)
}
let now = Date(timeIntervalSince1970: 1_800_000_000)
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-work-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
try Data(
    #"{"name": "c", "cookies": [{"name": "sessionid", "provider": "P", "purpose": "p", "category": "necessary", "duration": "2 weeks"}]}"#
        .utf8
).write(to: directory.appendingPathComponent("charter.json"))
let urls = (0..<pages).map { "https://shop.example/p\($0)" }
let config = """
    {"schedule": {"interval": "1h", "jitter": "0s"}, "stateDirectory": "\(directory.path)/state",
     "limits": {"concurrency": 64, "perHostConcurrency": 64},
     "sites": [{"name": "shop", "charters": ["charter.json"], "variants": [{"name": "v", "consent": false}],
                "pages": [\(urls.map { "{\"url\": \"\($0)\"}" }.joined(separator: ", "))]}]}
    """
let configPath = directory.appendingPathComponent("config.json").path
try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
let configuration = try Configuration.load(path: configPath)

func observation(_ page: PageRef, number: Int) throws -> PageObservation {
    let url = try CookieURL(parsing: page.url)
    var jar = CookieJar()
    let outcomes = [
        "sessionid=s\(number); Path=/; HttpOnly; Secure; Max-Age=600", "csrftoken=c\(number); Path=/; Max-Age=31449600",
        "django_language=fr; Path=/", "_ga=GA1.2.\(number).1; Path=/; Max-Age=63072000",
    ].map { jar.receive(setCookie: $0, from: url, at: now) }
    return PageObservation(
        page: page, consentGiven: false, hops: [ObservedHop(url: url, status: 200, date: now, outcomes: outcomes)])
}

switch arguments[1] {
case "rounds":
    // The daemon's round bookkeeping alone, on visits that set no cookie: per-visit work is small here,
    // so a round that copied its tables on each visit (O(pages) a visit) shows at once.
    let site = configuration.sites[0]
    let audit = SiteAudit(site: site.name, charters: site.charters, policy: site.policy, pageURLs: [])
    let refs = site.pages.map { PageRef(url: $0.url, variant: $0.variants[0].name) }
    var rounds = SiteRounds(expected: [site.name: refs])
    var completed = 0
    for ref in refs {
        let url = try CookieURL(parsing: ref.url)
        let visit = PageObservation(
            page: ref, consentGiven: false, hops: [ObservedHop(url: url, status: 200, date: now, outcomes: [])])
        if rounds.record(site: site.name, observation: visit, now: now, audit: { audit }) != nil { completed += 1 }
    }
    print("\(pages) pages: \(completed) round")
case "audit":
    let site = configuration.sites[0]
    var audit = SiteAudit.Incremental(
        SiteAudit(
            site: site.name, charters: site.charters, policy: site.policy,
            pageURLs: site.pages.compactMap { try? CookieURL(parsing: $0.url) }), now: now)
    for (order, page) in site.pages.enumerated() {
        let ref = PageRef(url: page.url, variant: page.variants[0].name)
        audit.record(try observation(ref, number: order), order: order, now: now)
    }
    let result = audit.result()
    print("\(pages) pages: \(result.findings.count) findings, \(result.cookies.count) cookies")
default:
    var core = try DaemonCore(
        configuration: configuration, saved: nil, now: now, seed: 1,
        fingerprinter: ValueFingerprinter(key: Array(repeating: 7, count: 32)))
    try FileManager.default.createDirectory(atPath: directory.path + "/state", withIntermediateDirectories: true)
    let history = try HistoryLog.open(directory: directory.path + "/state/history", now: now).log
    let store = StateStore(stateDirectory: directory.path + "/state")
    _ = try store.load()
    _ = core.takeChanges()
    try store.snapshot(core.state)
    var rounds = 0
    var visits = 0
    while true {
        let jobs = core.startDue(at: now)
        if jobs.isEmpty { break }
        for job in jobs {
            visits += 1
            let outcome = core.finish(job, observation: try observation(job.page, number: visits), at: now)
            try history.append(outcome.record)
            try store.save(core.takeChanges()) { core.state }
            if outcome.round != nil { rounds += 1 }
        }
    }
    print("\(pages) pages: \(history.linesWritten) history lines, \(rounds) round, \(store.bytesWritten) state bytes")
}
