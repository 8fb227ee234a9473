import ArgumentParser
import CookieModel
import Foundation

/// `--format text|json` for commands that print a result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// JSON as every command prints it: stable key order, readable, slashes unescaped.
func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try encodeJSONBytes(value), as: UTF8.self)
}

/// The same, as bytes.
func encodeJSONBytes<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
}

/// RFC 3339 UTC, whole seconds: how every command prints a time.
func rfc3339(_ date: Date) -> String { CivilTime.rfc3339(Int64(date.timeIntervalSince1970.rounded(.down))) }
