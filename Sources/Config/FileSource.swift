import Foundation

/// Why a file could not be read.
public enum FileProblem: Error, Sendable, Hashable {
    case notFound
    case isDirectory
    case unreadable(String)
}

/// Where the loader reads the config and the charters from: the file system, or a dictionary in tests.
public protocol FileSource: Sendable {
    /// The bytes of the file at `path`.
    func read(_ path: String) throws(FileProblem) -> [UInt8]
}

/// The local file system.
public struct LocalFileSource: FileSource {
    public init() {}

    public func read(_ path: String) throws(FileProblem) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound }
        if isDirectory.boolValue { throw .isDirectory }
        guard FileManager.default.isReadableFile(atPath: path) else { throw .unreadable("permission denied") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("read failed") }
        return [UInt8](data)
    }
}
