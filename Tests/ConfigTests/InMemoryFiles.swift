import Config

/// Files held in a dictionary, so that loader tests need no disk.
struct InMemoryFiles: FileSource {
    var files: [String: String]
    var directories: Set<String> = []

    func read(_ path: String) throws(FileProblem) -> [UInt8] {
        if directories.contains(path) { throw .isDirectory }
        guard let text = files[path] else { throw .notFound }
        return Array(text.utf8)
    }
}
