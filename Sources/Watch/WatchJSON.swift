import Foundation

/// The JSON settings of every file the daemon writes: sorted keys, unescaped slashes, RFC 3339 times.
enum WatchJSON {
    static func encode(_ value: some Encodable, pretty: Bool = false) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(CivilTimeText.rfc3339(date))
        }
        // Our types hold strings, integers, booleans and times only: encoding cannot fail.
        return (try? [UInt8](encoder.encode(value))) ?? []
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let seconds = CivilTimeText.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an RFC 3339 time, got \"\(text)\"")
            }
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return decoder
    }
}
