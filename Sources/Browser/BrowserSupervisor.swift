import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps one Chromium running for every browser visit: starts it on first use, restarts it when it
/// crashes or hangs, and replaces it between visits when it grows past its memory limit.
public actor BrowserSupervisor {
    /// A running browser and the visits using it.
    struct Instance {
        let generation: Int
        let process: ChromiumProcess
        let connection: DevToolsConnection
        let profile: URL
        var visits = 0
    }

    public let installation: ChromiumInstallation
    public let options: BrowserOptions
    private var current: Instance?
    /// Browsers that take no new visits and go when their last one ends.
    private var retired: [Int: Instance] = [:]
    private var launching: Task<Instance, any Error>?
    private var nextMemoryCheck = ContinuousClock.now
    private var generation = 0
    /// Browsers replaced because they crashed, hung or grew too large.
    public private(set) var restarts = 0 {
        didSet { restartCount.store(restarts, ordering: .relaxed) }
    }
    private nonisolated let restartCount = Atomic<Int>(0)
    /// `restarts`, readable without waiting for the actor (the daemon's metrics).
    public nonisolated var restartsSoFar: Int { restartCount.load(ordering: .relaxed) }

    public init(installation: ChromiumInstallation, options: BrowserOptions) {
        self.installation = installation
        self.options = options
    }

    /// The browser for one more visit, started if needed; `finish` must follow. Visits arriving while
    /// the browser starts wait for that one start instead of starting browsers of their own.
    func begin() async throws(BrowserError) -> (generation: Int, connection: DevToolsConnection) {
        while true {
            if var instance = current, instance.connection.closedReason == nil {
                instance.visits += 1
                current = instance
                return (instance.generation, instance.connection)
            }
            if let dead = current {
                current = nil
                restarts += 1
                retire(dead)
            }
            if let launching {
                // The launch installs its browser itself, on this actor, before its result is ready: a
                // waiter resumed by a finished launch finds `current` set and `launching` cleared. (When
                // the launcher's own resumption did that, a waiter could find the finished task still
                // there, await it again without suspending and spin, holding the actor forever.)
                if case .failure(let error) = await launching.result {
                    throw error as? BrowserError ?? .unavailable("\(error)")
                }
                continue
            }
            launching = Task {
                defer { launching = nil }
                let instance = try await launch()
                current = instance
                return instance
            }
        }
    }

    /// The visit on `generation` ended; `failure` says whether the browser crashed or hung in it.
    /// A crashed or hung browser is replaced at once (its other visits fail with it); one grown past
    /// its memory limit stops taking visits and goes when its last one ends.
    func finish(_ generation: Int, failure: BrowserError?) {
        guard var instance = current?.generation == generation ? current : retired[generation] else { return }
        instance.visits -= 1
        switch failure {
        case .crashed, .timeout:
            if current?.generation == generation {
                current = nil
                restarts += 1
            }
            retired[generation] = nil
            dispose(instance)
            return
        default:
            break
        }
        if current?.generation == generation {
            current = instance
            // Reading every process's smaps_rollup costs milliseconds each, and visits wait on this actor:
            // at most every few seconds.
            guard ContinuousClock.now >= nextMemoryCheck else { return }
            nextMemoryCheck = ContinuousClock.now + .seconds(3)
            if instance.process.residentBytes() > options.memoryLimitBytes {
                current = nil
                restarts += 1
                retire(instance)
            }
        } else {
            retired[generation] = instance
            retire(instance)
        }
    }

    /// Keeps `instance` until its visits end, then kills it.
    private func retire(_ instance: Instance) {
        if instance.visits <= 0 || instance.connection.closedReason != nil {
            retired[instance.generation] = nil
            dispose(instance)
        } else {
            retired[instance.generation] = instance
        }
    }

    /// Kills the browser; the next visit starts a new one.
    public func shutdown() {
        for instance in [current].compactMap({ $0 }) + retired.values { dispose(instance) }
        current = nil
        retired = [:]
    }

    /// The running browser's process id, nil when none runs.
    public func processID() -> Int32? { current?.process.pid }

    private func dispose(_ instance: Instance) {
        instance.process.kill()
        try? FileManager.default.removeItem(at: instance.profile)
    }

    private func launch() async throws(BrowserError) -> Instance {
        generation += 1
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cookiewatch-chromium-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.removeItem(at: profile)
        do {
            try FileManager.default.createDirectory(
                at: profile.appendingPathComponent("Default"), withIntermediateDirectories: true)
            // A default desktop Chrome allows third-party cookies; a fresh headless profile blocks them.
            let mode = options.thirdPartyCookies ? 0 : 1
            try Data(#"{"profile":{"cookie_controls_mode":\#(mode)}}"#.utf8).write(
                to: profile.appendingPathComponent("Default/Preferences"))
        } catch {
            throw .unavailable("cannot prepare the browser profile \(profile.path): \(error.localizedDescription)")
        }
        let process = try ChromiumProcess.spawn(
            binary: installation.binary, arguments: ChromiumArguments.make(options, profile: profile.path),
            stderrPath: profile.appendingPathComponent("stderr.log").path)
        let connection = DevToolsConnection(process: process)
        do {
            _ = try await connection.call("Browser.getVersion", timeout: .seconds(30))
        } catch {
            let reason = (error as? BrowserError)?.description ?? "\(error)"
            process.kill()
            try? FileManager.default.removeItem(at: profile)
            throw .unavailable("\(installation.binary) did not start: \(reason)")
        }
        return Instance(generation: generation, process: process, connection: connection, profile: profile)
    }
}

/// The command line of cookiewatch's Chromium.
enum ChromiumArguments {
    static func make(_ options: BrowserOptions, profile: String) -> [String] {
        var arguments = [
            "--headless", "--remote-debugging-pipe", "--user-data-dir=\(profile)", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio", "--disable-gpu",
            "--disable-dev-shm-usage", "--window-size=1280,800", "--password-store=basic",
            "--use-mock-keychain",
            // One --disable-features only (Chromium reads the last). Each new window preloads two WebUI
            // omnibox popups, each a renderer process, and a spare renderer waits for the next site:
            // measured, they were a third of a visit's CPU.
            "--disable-features=MediaRouter,OptimizationHints,Translate,WebUIOmniboxPopup,WebUIOmniboxAimPopup,"
                + "SpareRendererForSitePerProcess",
        ]
        // Chromium's sandbox needs user namespaces; as root it refuses to start with it, and in the unit
        // systemd's sandbox stands in for it (BrowserOptions.chromiumSandbox).
        if !options.chromiumSandbox || geteuid() == 0 { arguments.append("--no-sandbox") }
        // No JIT: V8 then needs no writable-and-executable memory, so the unit keeps
        // MemoryDenyWriteExecute=yes (and a hostile page has less to exploit). Pages' scripts run slower.
        arguments.append("--js-flags=--jitless")
        // Every visit's requests go through its egress proxy (`EgressProxy`), which resolves names itself:
        // Chromium resolves nothing, and sends no UDP (QUIC, WebRTC) that would bypass the proxy.
        arguments += [
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--disable-quic", "--dns-prefetch-disable",
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--webrtc-ip-handling-policy=disable_non_proxied_udp",
        ]
        // The headless shell has no profile preferences for cookie controls: its switch blocks them.
        if !options.thirdPartyCookies { arguments.append("--test-third-party-cookie-phaseout") }
        if !options.trustedPublicKeys.isEmpty {
            arguments.append(
                "--ignore-certificate-errors-spki-list=\(options.trustedPublicKeys.joined(separator: ","))")
        }
        arguments.append("about:blank")
        return arguments
    }
}
