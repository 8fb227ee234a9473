/// `state.json` in the state directory, replaced atomically and read strictly.
public struct StateFile: Sendable {
    public let path: String

    /// The state file of `stateDirectory`.
    public init(stateDirectory: String) {
        path = stateDirectory + "/state.json"
    }

    private var file: StrictDocumentFile<WatchState> { StrictDocumentFile(path: path, operation: "load the state") }

    /// The saved state, or nil when there is none yet (first start).
    ///
    /// Refuses, naming the file and the key path: malformed JSON, wrong types, unknown keys and a
    /// newer `formatVersion`; the daemon must not run on a state it half understands.
    public func load() throws(FileError) -> WatchState? { try file.load() }

    /// Writes `state` to a temporary file in the same directory, fsyncs it, renames it over
    /// `state.json` and fsyncs the directory: after a crash the file is the old state or the new one.
    public func save(_ state: WatchState) throws(FileError) { try file.save(state) }
}
