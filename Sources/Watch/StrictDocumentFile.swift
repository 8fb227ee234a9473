import Foundation
import StrictJSON

/// A JSON document of the state directory that carries its format version.
protocol VersionedDocument: Codable {
    static var currentFormatVersion: Int { get }
    var formatVersion: Int { get }
    /// The document as JSON, in any layout: what the unknown-key check compares a file with.
    var knownKeysJSON: [UInt8] { get }
    /// Whether `bytes` are exactly what this version writes for the document: then no key is unknown.
    func isWritten(as bytes: [UInt8]) -> Bool
}

extension VersionedDocument {
    var knownKeysJSON: [UInt8] { WatchJSON.encode(self) }
    func isWritten(as bytes: [UInt8]) -> Bool { false }
}

extension WatchState: VersionedDocument {
    /// The snapshot writer's bytes: JSONEncoder took seconds over a state of 100,000 pages. Built whole
    /// only for a file that `isWritten(as:)` found different (edited by hand, or an older layout).
    var knownKeysJSON: [UInt8] { snapshotBytes() }

    /// Compared a chunk at a time, as the snapshot is written: a state of 100,000 pages is 134 MB.
    func isWritten(as bytes: [UInt8]) -> Bool {
        var offset = 0
        for chunk in snapshotChunks() {
            guard chunk.count <= bytes.count - offset,
                bytes.withUnsafeBytes({ file in
                    chunk.withUnsafeBytes { mine in
                        guard let start = file.baseAddress, let base = mine.baseAddress else { return mine.isEmpty }
                        return memcmp(start + offset, base, mine.count) == 0
                    }
                })
            else { return false }
            offset += chunk.count
        }
        return offset == bytes.count
    }
}

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
        // A file this version wrote and nobody edited: nothing to walk.
        if !document.isWritten(as: bytes),
            let unknown = Self.unknownKey(in: bytes, comparedWith: document.knownKeysJSON)
        {
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
    /// unknown keys). Null values are allowed. Read with the strict reader, whose long arrays are read
    /// element by element as they are compared (JSONSerialization built two object trees of a state
    /// file: most of a 100,000-page daemon's 39 s start).
    static func unknownKey(in original: [UInt8], comparedWith known: [UInt8]) -> String? {
        guard let original = try? JSONReader.parse(original), let known = try? JSONReader.parse(known) else {
            return nil
        }
        return unknownKey(original, known, path: "")
    }

    private static func unknownKey(_ original: JSONValue, _ known: JSONValue, path: String) -> String? {
        switch (original.kind, known.kind) {
        case (.object(let members), _):
            var knownMembers: [String: JSONValue] = [:]
            if case .object(let knownObject) = known.kind {
                for member in knownObject { knownMembers[member.key] = member.value }
            }
            for member in members.sorted(by: { $0.key < $1.key }) {
                let child = path.isEmpty ? member.key : path + "." + member.key
                guard let knownValue = knownMembers[member.key] else {
                    if case .null = member.value.kind { continue }
                    return child
                }
                if let found = unknownKey(member.value, knownValue, path: child) { return found }
            }
        case (.array(let elements), .array(let knownElements)) where elements.count == knownElements.count:
            for (index, pair) in zip(elements, knownElements).enumerated() {
                if let found = unknownKey(pair.0, pair.1, path: "\(path)[\(index)]") { return found }
            }
        default:
            break
        }
        return nil
    }
}
