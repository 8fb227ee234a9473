import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A running Chromium with the DevTools pipe: we write commands to its fd 3 and read its fd 4.
///
/// Started in a process group of its own so that killing it takes its renderers and zygote with it.
final class ChromiumProcess: Sendable {
    let pid: pid_t
    /// Our end of the child's fd 3 (commands).
    let commandFD: Int32
    /// Our end of the child's fd 4 (answers and events).
    let eventFD: Int32
    /// Where the child's stderr goes, to quote its last lines when it dies.
    let stderrPath: String

    private init(pid: pid_t, commandFD: Int32, eventFD: Int32, stderrPath: String) {
        self.pid = pid
        self.commandFD = commandFD
        self.eventFD = eventFD
        self.stderrPath = stderrPath
    }

    /// Spawns `binary` with `arguments`, fds 3 and 4 wired to two pipes, stdout to /dev/null.
    static func spawn(binary: String, arguments: [String], stderrPath: String) throws(BrowserError) -> ChromiumProcess {
        var commands: [Int32] = [0, 0]
        var events: [Int32] = [0, 0]
        guard pipe(&commands) == 0, pipe(&events) == 0 else {
            throw .unavailable("cannot create the DevTools pipes: \(String(cString: strerror(errno)))")
        }
        // Above 4, so that dup2 onto 3 and 4 never meets one of our own ends (dup2 onto itself would
        // keep close-on-exec, and the child would start without its pipe).
        func high(_ fd: Int32) -> Int32 {
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
            close(fd)
            return moved
        }
        let childReads = high(commands[0])
        let parentWrites = high(commands[1])
        let parentReads = high(events[0])
        let childWrites = high(events[1])
        defer {
            close(childReads)
            close(childWrites)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, childReads, 3)
        posix_spawn_file_actions_adddup2(&actions, childWrites, 4)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)

        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var inherited: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            inherited.append(String(cString: pointer))
            entry += 1
        }
        let envp = Self.environment(inheriting: inherited).map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, binary, &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(parentWrites)
            close(parentReads)
            throw .unavailable("cannot start \(binary): \(String(cString: strerror(status)))")
        }
        return ChromiumProcess(pid: pid, commandFD: parentWrites, eventFD: parentReads, stderrPath: stderrPath)
    }

    /// The environment Chromium starts with: cookiewatch's own, without `GLIBC_TUNABLES`, which the
    /// systemd unit sets for cookiewatch's allocator (more freed blocks kept per thread) and which would
    /// otherwise grow every Chromium process's caches too.
    static func environment(inheriting inherited: [String]) -> [String] {
        inherited.filter { !$0.hasPrefix("GLIBC_TUNABLES=") }
    }

    /// Kills the browser and everything it started, and reaps it.
    func kill() {
        _ = Glibc.kill(-pid, SIGKILL)
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    /// Memory of the browser's process group in bytes: the sum of each process's proportional set size
    /// (`Pss` in /proc/PID/smaps_rollup), so that pages its processes share are counted once.
    func residentBytes() -> Int {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var total = 0
        for entry in entries where entry.first?.isNumber == true {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after the command: state ppid pgrp ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[2]) == pid,
                let rollup = try? String(contentsOfFile: "/proc/\(entry)/smaps_rollup", encoding: .utf8),
                let line = rollup.split(separator: "\n").first(where: { $0.hasPrefix("Pss:") }),
                let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
            else { continue }
            total += kilobytes * 1_024
        }
        return total
    }

    /// The last lines the browser wrote on stderr, for an error message.
    func stderrTail(lines: Int = 3) -> String {
        guard let text = try? String(contentsOfFile: stderrPath, encoding: .utf8) else { return "" }
        let useful = text.split(separator: "\n").filter { !$0.contains("dbus") }
        return useful.suffix(lines).joined(separator: " | ")
    }
}
