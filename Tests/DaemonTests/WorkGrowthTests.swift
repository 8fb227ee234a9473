import Foundation
import ProcessTestSupport
import Testing

/// Issue 11's guard against quadratic cost, counted rather than timed: `work-count` runs the audit and
/// the daemon's first round over N and 4N synthetic pages under `valgrind --tool=callgrind`, which
/// counts the instructions executed (the same count on an idle or a loaded machine). Linear work grows
/// about 4×; the quadratic audit and state saving measured in issue 11 grew 16× and more.
@Suite("Work grows linearly with the pages (instructions counted by callgrind)", .serialized)
struct WorkGrowthTests {
    static let built = ChildProcess.cookiewatch.deletingLastPathComponent().appendingPathComponent("work-count")

    /// `work-count` without its debug information, which Debian's valgrind 3.19 cannot read in Swift's
    /// DWARF (the symbols stay; the count does not need either).
    static func stripped() async throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("cw-work-count-\(UUID().uuidString)")
        let strip = try await ChildProcess.run(
            ["--strip-debug", "-o", copy.path, built.path], binary: URL(fileURLWithPath: "/usr/bin/strip"))
        guard strip.status == 0 else { throw TestFailure("strip \(built.path): \(strip.stderr)") }
        return copy
    }

    /// Instructions `work-count MODE PAGES` executes, from callgrind's summary.
    static func instructions(_ binary: URL, _ mode: String, pages: Int) async throws -> Double {
        let valgrind = "/usr/bin/valgrind"
        guard FileManager.default.isExecutableFile(atPath: valgrind) else {
            throw TestFailure("valgrind is not installed: apt-get install valgrind (scripts/test does)")
        }
        let run = try await ChildProcess.run(
            ["--tool=callgrind", "--callgrind-out-file=/dev/null", binary.path, mode, String(pages)],
            binary: URL(fileURLWithPath: valgrind))
        guard run.status == 0,
            let line = run.stderr.split(separator: "\n").first(where: { $0.contains("Collected :") }),
            let count = Double(line.split(separator: " ").last ?? "")
        else { throw TestFailure("work-count \(mode) \(pages) under callgrind: \(run.status)\n\(run.stderr)") }
        return count
    }

    /// The instructions spent on the pages themselves (a run with one page stands for the fixed cost:
    /// the runtime, the configuration, the charter) for `small` and 4 × `small` pages.
    static func growth(_ mode: String, small: Int) async throws -> (small: Double, large: Double, ratio: Double) {
        let binary = try await stripped()
        defer { try? FileManager.default.removeItem(at: binary) }
        let fixed = try await instructions(binary, mode, pages: 1)
        let little = try await instructions(binary, mode, pages: small) - fixed
        let large = try await instructions(binary, mode, pages: 4 * small) - fixed
        return (little, large, large / little)
    }

    @Test("the scan's audit: four times the pages, about four times the instructions")
    func audit() async throws {
        let (small, large, ratio) = try await Self.growth("audit", small: 250)
        #expect(ratio < 4.8, "\(small) instructions for 250 pages, \(large) for 1,000: ×\(ratio)")
        #expect(ratio > 3, "\(small) for 250 pages, \(large) for 1,000: ×\(ratio)")
    }

    @Test("the daemon's first round (history lines, state saved, the round's audit): about four times too")
    func daemonRound() async throws {
        let (small, large, ratio) = try await Self.growth("daemon", small: 100)
        #expect(ratio < 4.8, "\(small) instructions for 100 pages, \(large) for 400: ×\(ratio)")
        // Less than 4×: the state's snapshots are amortized over more visits.
        #expect(ratio > 2, "\(small) for 100 pages, \(large) for 400: ×\(ratio)")
    }

    @Test("the daemon's rounds: a visit's bookkeeping does not grow with the site's pages")
    func rounds() async throws {
        let (small, large, ratio) = try await Self.growth("rounds", small: 1_000)
        #expect(ratio < 4.8, "\(small) instructions for 1,000 pages, \(large) for 4,000: ×\(ratio)")
        #expect(ratio > 3, "\(small) for 1,000 pages, \(large) for 4,000: ×\(ratio)")
    }
}

@Suite("Large blocks go back to the system when freed")
struct AllocatorTests {
    /// glibc's default raises its mmap threshold after a large free, so later large blocks stay in the
    /// heap (and in RSS) after they are freed; cookiewatch fixes the threshold first thing.
    @Test("after a 4 MiB block is freed, a 1 MiB block is mapped on its own only with the fixed threshold")
    func fixedThreshold() async throws {
        var answers: [String: String] = [:]
        for mode in ["default", "fixed"] {
            let run = try await ChildProcess.run(["allocator", mode], binary: WorkGrowthTests.built)
            #expect(run.status == 0, "work-count allocator \(mode): \(run.stderr)")
            answers[mode] = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(answers == ["default": "heap", "fixed": "mapped"])
    }
}
