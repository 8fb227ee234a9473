import Glibc

/// A file operation of the daemon that failed: which file, what was being done, and why.
public struct FileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// What was being done: "open", "write", "fsync", "rename", "parse", ...
    public var operation: String
    /// The system's reason (`strerror`), or what was wrong with the content.
    public var reason: String
    public var errno: Int32?

    public init(file: String, operation: String, reason: String, errno: Int32? = nil) {
        self.file = file
        self.operation = operation
        self.reason = reason
        self.errno = errno
    }

    /// The error of a failed system call, from the current `errno`.
    static func system(_ file: String, _ operation: String) -> FileError {
        let code = Glibc.errno
        return FileError(file: file, operation: operation, reason: String(cString: strerror(code)), errno: code)
    }

    public var description: String { "\(file): cannot \(operation): \(reason)" }
}
