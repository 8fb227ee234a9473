import Foundation
import Transport

/// The JSON body every delivery sends: sorted keys, slashes left unescaped.
enum DeliveryBody {
    static func json(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}

extension DeliveryResult {
    /// What a send returns when its body cannot be encoded: an internal failure naming `what`.
    static func unencodable(_ what: String, url: String, _ error: any Error) -> DeliveryResult {
        DeliveryResult(
            status: nil,
            failure: FetchFailure(code: .internal, message: "cannot encode \(what): \(error)", hopIndex: 0, url: url))
    }
}
