import Foundation

/// A JSON document of the state directory that carries its format version.
protocol VersionedDocument: Codable {
    static var currentFormatVersion: Int { get }
    var formatVersion: Int { get }
}

extension WatchState: VersionedDocument {}
extension Baseline: VersionedDocument {}

/// A versioned JSON document on disk (`state.json`, `baseline.json`): replaced atomically, read strictly.
struct StrictDocumentFile<Document: VersionedDocument> {
    let path: String
    /// What loading it is called in errors: "load the state".
    let operation: String

    /// The document, or nil when the file does not exist.
    ///
    /// Refuses, naming the file and the key path: malformed JSON, wrong types, unknown keys (a typo in
    /// a hand edit) and a newer `formatVersion`: the daemon must not run on a file it half understands.
    func load() throws(FileError) -> Document? {
        guard let bytes = try PosixFile.read(path) else { return nil }
        let document: Document
        do {
            document = try WatchJSON.decoder.decode(Document.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw problem(DecodingErrorText.describe(error))
        } catch {
            throw problem("\(error)")
        }
        guard document.formatVersion <= Document.currentFormatVersion else {
            throw problem(
                "formatVersion \(document.formatVersion) is newer than this cookiewatch (\(Document.currentFormatVersion))"
            )
        }
        if let unknown = Self.unknownKey(in: bytes, comparedWith: Self.encoded(document)) {
            throw problem("\(unknown): unknown key")
        }
        return document
    }

    /// Writes `document` to a temporary file in the same directory, fsyncs it, renames it over the file
    /// (mode 0640) and fsyncs the directory: after a crash the file is the old document or the new one.
    func save(_ document: Document) throws(FileError) {
        try PosixFile.replaceAtomically(path, Self.encoded(document), mode: 0o640)
    }

    func problem(_ reason: String) -> FileError {
        FileError(file: path, operation: operation, reason: reason)
    }

    static func encoded(_ document: Document) -> [UInt8] { WatchJSON.encode(document, pretty: true) + [0x0A] }

    /// The first key path in `original` that the decoded document does not carry (JSONDecoder ignores
    /// unknown keys). Null values are allowed.
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
