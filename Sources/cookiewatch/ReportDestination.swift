import Foundation
import Glibc

/// Where `report` writes, chunk by chunk: stdout, or a file that replaces `--output` only once the whole
/// report is written (a temporary file in the same directory, renamed over it).
final class ReportDestination {
    private let path: String?
    private let temporary: String?
    private let fd: Int32
    /// The first write that failed; later chunks are dropped.
    private var failure: String?

    /// Opens the temporary file next to `path`, or stdout when `path` is nil.
    init(path: String?) throws {
        self.path = path
        guard let path else {
            temporary = nil
            fd = STDOUT_FILENO
            return
        }
        let temporary = path + ".new-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CommandFailure.internalFailure(
                "\(path): cannot write the report: \(String(cString: strerror(errno))) (creating \(temporary))")
        }
        self.temporary = temporary
        self.fd = fd
    }

    func write(_ bytes: [UInt8]) {
        guard failure == nil else { return }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                return
            }
            offset += written
        }
    }

    /// Closes the file and renames it over `--output`; throws the first failure, naming the file.
    func finish() throws {
        guard let path, let temporary else {
            if let failure { throw CommandFailure.internalFailure("cannot write the report to stdout: \(failure)") }
            return
        }
        let closed = close(fd) == 0
        if failure == nil, !closed { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw CommandFailure.internalFailure("\(path): cannot write the report: \(failure)")
        }
    }
}
