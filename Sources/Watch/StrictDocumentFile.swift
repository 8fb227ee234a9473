import Foundation
import StrictJSON

/// A JSON document of the state directory that carries its format version.
protocol VersionedDocument: Codable {
    static var currentFormatVersion: Int { get }
    var formatVersion: Int { get }
    /// The document in `bytes`, strictly: a wrong type or an unknown key (unless null) is a problem
    /// naming its key path. A document of a newer `formatVersion` may be returned partly read: the
    /// caller refuses it.
    static func read(_ bytes: [UInt8]) throws(DocumentProblem) -> Self
}

/// What is wrong with a document's content, without the file's name.
struct DocumentProblem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

extension VersionedDocument {
    /// JSONDecoder, then a walk of the file for keys the decoded document does not carry.
    static func read(_ bytes: [UInt8]) throws(DocumentProblem) -> Self {
        let document = try decode(Self.self, bytes)
        if document.formatVersion <= currentFormatVersion,
            let unknown = unknownKey(in: bytes, comparedWith: WatchJSON.encode(document))
        {
            throw DocumentProblem("\(unknown): unknown key")
        }
        return document
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws(DocumentProblem) -> T {
        do {
            return try WatchJSON.decoder.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw DocumentProblem(DecodingErrorText.describe(error))
        } catch {
            throw DocumentProblem("\(error)")
        }
    }

    /// The first key path in `original` that the decoded document does not carry (JSONDecoder ignores
    /// unknown keys). Null values are allowed.
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

extension WatchState: VersionedDocument {
    /// Read with the strict reader: the pages (nearly all of a large state) by `PageStateReading`, the
    /// rest (alerts, outbox, webhook backlog: small) through JSONDecoder and the unknown-key walk.
    static func read(_ bytes: [UInt8]) throws(DocumentProblem) -> WatchState {
        let root: JSONValue
        do { root = try JSONReader.parse(bytes) } catch { throw DocumentProblem(error.description) }
        guard case .object(let members) = root.kind else { throw DocumentProblem("expected an object") }
        var rest: [(String, JSONValue)] = []
        var pages: JSONValue?
        for member in members {
            if member.key == "pages" {
                guard pages == nil else { throw DocumentProblem("pages: repeated key") }
                pages = member.value
            } else {
                rest.append((member.key, member.value))
            }
        }
        var state = try Self.readRest(JSONValue.object(rest + [("pages", .array([]))]))
        guard state.formatVersion <= currentFormatVersion else { return state }
        guard let pages else { throw DocumentProblem("missing key \"pages\"") }
        guard case .array(let elements) = pages.kind else { throw DocumentProblem("pages: expected an array") }
        state.pages.reserveCapacity(elements.count)
        do {
            for (index, element) in elements.enumerated() {
                state.pages.append(try PageStateReading.page(element, at: "pages[\(index)]"))
            }
        } catch {
            throw DocumentProblem(error.description)
        }
        return state
    }

    private static func readRest(_ rest: JSONValue) throws(DocumentProblem) -> WatchState {
        let bytes = JSONWriter.canonical(rest)
        let state = try decode(WatchState.self, bytes)
        if state.formatVersion <= currentFormatVersion,
            let unknown = unknownKey(in: bytes, comparedWith: WatchJSON.encode(state))
        {
            throw DocumentProblem("\(unknown): unknown key")
        }
        return state
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
        do { document = try Document.read(bytes) } catch { throw problem(error.reason) }
        guard document.formatVersion <= Document.currentFormatVersion else {
            throw problem(
                "formatVersion \(document.formatVersion) is newer than this cookiewatch (\(Document.currentFormatVersion))"
            )
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
}
