import Foundation

/// Why a file could not be read.
public enum FileProblem: Error, Sendable, Hashable {
    case notFound
    case isDirectory
    case unreadable(String)
    /// Larger than the limit for its kind of file: not read at all.
    case tooLarge(size: Int, limit: Int)

    /// What went wrong with `what` ("config file", "charter file \"x.json\""), in one phrase.
    public func describe(_ what: String) -> String {
        switch self {
        case .notFound: return "\(what) does not exist"
        case .isDirectory: return "\(what) is a directory, expected a JSON file"
        case .unreadable(let reason): return "cannot read \(what): \(reason)"
        case .tooLarge(let size, let limit):
            return "\(what) is \(size) bytes, over the limit of \(FileLimits.text(limit))"
        }
    }
}

/// How large each kind of file may be. Loading holds the file and its parsed form in memory (about
/// 17 times the file at worst), so these keep loading within the daemon unit's 256 MiB.
public enum FileLimits {
    /// A configuration: 8 MiB is about 130,000 pages.
    public static let config = 8 << 20
    /// A charter: 4 MiB is about 20,000 entries with full texts.
    public static let charter = 4 << 20
    /// A secret (a token, a header value).
    public static let secret = 64 << 10

    /// "8 MiB", "64 KiB".
    public static func text(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }
}

/// Where the loader reads the config and the charters from: the file system, or a dictionary in tests.
public protocol FileSource: Sendable {
    /// The bytes of the file at `path`, if it holds at most `limit` bytes.
    func read(_ path: String, limit: Int) throws(FileProblem) -> [UInt8]
}

/// The local file system.
public struct LocalFileSource: FileSource {
    public init() {}

    public func read(_ path: String, limit: Int) throws(FileProblem) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound }
        if isDirectory.boolValue { throw .isDirectory }
        guard FileManager.default.isReadableFile(atPath: path) else { throw .unreadable("permission denied") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > limit {
            throw .tooLarge(size: size, limit: limit)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("read failed") }
        return [UInt8](data)
    }
}
