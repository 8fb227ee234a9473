import Foundation

/// The conformance vectors the repository carries in `vectors/` (provenance in `vectors/README.md`).
enum SharedVectors {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("vectors")

    /// Every line of a JSON-lines file, decoded; a missing file fails loudly rather than testing nothing.
    static func jsonLines<T: Decodable>(_ name: String, as type: T.Type) throws -> [T] {
        let url = directory.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try text.split(separator: "\n").map { try decoder.decode(T.self, from: Data($0.utf8)) }
    }

    static func lines(_ name: String) throws -> [String] {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }
}
