import Glibc

/// The few POSIX calls the daemon's files need, each checked and turned into a `FileError`.
enum PosixFile {
    /// Opens `path` for appending (created with `mode` if missing); every write lands at the end.
    static func openAppend(_ path: String, mode: mode_t = 0o640) throws(FileError) -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .system(path, "open for appending") }
        return fd
    }

    /// Writes `bytes` with a single `write(2)`, so a line is never interleaved with another writer's.
    static func writeOnce(_ fd: Int32, _ bytes: [UInt8], file: String) throws(FileError) {
        var written = 0
        repeat {
            written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        } while written < 0 && errno == EINTR
        guard written >= 0 else { throw .system(file, "write") }
        guard written == bytes.count else {
            throw FileError(file: file, operation: "write", reason: "short write: \(written) of \(bytes.count) bytes")
        }
    }

    /// Appends one whole line with `writeOnce`; a short write is cut back off so no torn line stays.
    static func appendLine(_ fd: Int32, _ bytes: [UInt8], file: String) throws(FileError) {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .system(file, "stat") }
        do {
            try writeOnce(fd, bytes, file: file)
        } catch {
            if error.errno == nil { _ = ftruncate(fd, status.st_size) }
            throw error
        }
    }

    static func sync(_ fd: Int32, file: String) throws(FileError) {
        guard fsync(fd) == 0 else { throw .system(file, "fsync") }
    }

    /// Opens `directory` and takes an exclusive, non-blocking `flock` on it; returns the descriptor
    /// that holds the lock until it is closed.
    static func lockExclusively(_ directory: String) throws(FileError) -> Int32 {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(directory, "open directory") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error: FileError =
                errno == EWOULDBLOCK
                ? FileError(
                    file: directory, operation: "lock",
                    reason: "another cookiewatch process is writing this history", errno: EWOULDBLOCK)
                : .system(directory, "lock")
            close(fd)
            throw error
        }
        return fd
    }

    /// fsyncs a directory so that a created, renamed or removed entry survives a power loss.
    static func syncDirectory(_ path: String) throws(FileError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(path, "open directory") }
        defer { close(fd) }
        try sync(fd, file: path)
    }

    /// The whole file, or nil when it does not exist.
    static func read(_ path: String) throws(FileError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .system(path, "open for reading")
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(path, "read")
            }
            if count == 0 { return out }
            out.append(contentsOf: buffer[0..<count])
        }
    }

    /// A descriptor open for reading and the file's size; nil when it does not exist. The caller closes it.
    static func openForReading(_ path: String) throws(FileError) -> (fd: Int32, size: Int)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .system(path, "open for reading")
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            close(fd)
            throw .system(path, "stat")
        }
        return (fd, Int(status.st_size))
    }

    /// `count` bytes at `offset` (fewer if the file ends first).
    static func read(_ fd: Int32, from offset: Int, count: Int, file: String) throws(FileError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = out.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset + done))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .system(file, "read")
            }
            if got == 0 { break }
            done += got
        }
        out.removeLast(count - done)
        return out
    }

    /// Creates `path` exclusively with `mode`, writes `bytes` and fsyncs it.
    static func create(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(FileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .system(path, "create") }
        defer { close(fd) }
        try writeOnce(fd, bytes, file: path)
        try sync(fd, file: path)
    }

    /// Creates `path` with `bytes` all at once or not at all: a temporary file in the same directory,
    /// fsynced, then hard-linked into place (failing with EEXIST if `path` exists), then the
    /// directory fsynced.
    static func createAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(FileError) {
        let temporary = path + ".new-\(getpid())"
        try? remove(temporary)
        try create(temporary, bytes, mode: mode)
        defer { try? remove(temporary) }
        guard link(temporary, path) == 0 else { throw .system(path, "create") }
        try syncDirectory(directory(of: path))
    }

    /// Replaces `path` with `bytes` atomically: a temporary file in the same directory, fsynced,
    /// renamed over `path`, then the directory fsynced, so a crash leaves the old or the new file.
    static func replaceAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(FileError) {
        _ = try replaceAtomically(path, mode: mode, chunks: CollectionOfOne(bytes))
    }

    /// `replaceAtomically` with the bytes written as `chunks` yields them, so that a large file is
    /// never whole in memory. Returns the bytes written.
    static func replaceAtomically(_ path: String, mode: mode_t, chunks: some Sequence<[UInt8]>) throws(FileError)
        -> Int
    {
        let temporary = path + ".new-\(getpid())"
        try? remove(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .system(temporary, "create") }
        var total = 0
        do {
            defer { close(fd) }
            for chunk in chunks {
                try writeOnce(fd, chunk, file: temporary)
                total += chunk.count
            }
            try sync(fd, file: temporary)
        } catch {
            try? remove(temporary)
            throw error
        }
        do {
            try rename(temporary, to: path)
        } catch {
            try? remove(temporary)
            throw error
        }
        try syncDirectory(directory(of: path))
        return total
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func truncate(_ path: String, to length: Int) throws(FileError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(path, "open for truncation") }
        defer { close(fd) }
        guard ftruncate(fd, off_t(length)) == 0 else { throw .system(path, "truncate") }
        try sync(fd, file: path)
    }

    static func makeDirectory(_ path: String, mode: mode_t = 0o750) throws(FileError) {
        guard mkdir(path, mode) == 0 || errno == EEXIST else { throw .system(path, "create directory") }
    }

    /// The names in `directory`, unsorted; dot entries excluded.
    static func list(_ directory: String) throws(FileError) -> [String] {
        guard let dir = opendir(directory) else { throw .system(directory, "list") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func remove(_ path: String) throws(FileError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .system(path, "remove") }
    }

    static func rename(_ from: String, to: String) throws(FileError) {
        guard Glibc.rename(from, to) == 0 else { throw .system(to, "rename \(from) to") }
    }
}
