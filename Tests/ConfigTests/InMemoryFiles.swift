import Config

/// Files held in a dictionary, so that loader tests need no disk.
struct InMemoryFiles: FileSource {
    var files: [String: String]
    var directories: Set<String> = []

    func read(_ path: String, limit: Int) throws(FileProblem) -> [UInt8] {
        if directories.contains(path) { throw .isDirectory }
        guard let text = files[path] else { throw .notFound }
        guard text.utf8.count <= limit else { throw .tooLarge(size: text.utf8.count, limit: limit) }
        return Array(text.utf8)
    }
}
