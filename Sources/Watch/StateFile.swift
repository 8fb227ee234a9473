import Foundation

/// `state.json` in the state directory, replaced atomically and read strictly.
public struct StateFile: Sendable {
    public let path: String

    /// The state file of `stateDirectory`.
    public init(stateDirectory: String) {
        path = stateDirectory + "/state.json"
    }

    /// The saved state, or nil when there is none yet (first start).
    ///
    /// Refuses, naming the file and the key path: malformed JSON, wrong types, unknown keys and a
    /// newer `formatVersion`; the daemon must not run on a state it half understands.
    public func load() throws(FileError) -> WatchState? {
        guard let bytes = try PosixFile.read(path) else { return nil }
        let state: WatchState
        do {
            state = try WatchJSON.decoder.decode(WatchState.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw problem(DecodingErrorText.describe(error))
        } catch {
            throw problem("\(error)")
        }
        guard state.formatVersion <= WatchState.currentFormatVersion else {
            throw problem(
                "formatVersion \(state.formatVersion) is newer than this cookiewatch (\(WatchState.currentFormatVersion))"
            )
        }
        if let unknown = Self.unknownKey(in: bytes, comparedWith: Self.encoded(state)) {
            throw problem("\(unknown): unknown key")
        }
        return state
    }

    /// Writes `state` to a temporary file in the same directory, fsyncs it, renames it over
    /// `state.json` and fsyncs the directory: after a crash the file is the old state or the new one.
    public func save(_ state: WatchState) throws(FileError) {
        try PosixFile.replaceAtomically(path, Self.encoded(state), mode: 0o640)
    }

    private func problem(_ reason: String) -> FileError {
        FileError(file: path, operation: "load the state", reason: reason)
    }

    static func encoded(_ state: WatchState) -> [UInt8] { WatchJSON.encode(state, pretty: true) + [0x0A] }

    /// The first key path in `original` that the decoded state does not carry (JSONDecoder ignores
    /// unknown keys; a typo in a hand-edited state must not pass silently). Null values are allowed.
    static func unknownKey(in original: [UInt8], comparedWith known: [UInt8]) -> String? {
        guard let original = try? JSONSerialization.jsonObject(with: Data(original)),
            let known = try? JSONSerialization.jsonObject(with: Data(known))
        else { return nil }
        return unknownKey(original, known, path: "")
    }

    private static func unknownKey(_ original: Any, _ known: Any, path: String) -> String? {
        if let object = original as? [String: Any] {
            let knownObject = known as? [String: Any] ?? [:]
            for key in object.keys.sorted() {
                let child = path.isEmpty ? key : path + "." + key
                guard let knownValue = knownObject[key] else {
                    if object[key] is NSNull { continue }
                    return child
                }
                if let value = object[key], let found = unknownKey(value, knownValue, path: child) { return found }
            }
        } else if let array = original as? [Any], let knownArray = known as? [Any], array.count == knownArray.count {
            for (index, pair) in zip(array, knownArray).enumerated() {
                if let found = unknownKey(pair.0, pair.1, path: "\(path)[\(index)]") { return found }
            }
        }
        return nil
    }
}
