/// The elements of a JSON array.
///
/// A long array read from a document keeps only where each element starts (12 bytes) and reads the
/// element again from the document when it is asked for: a 100,000-page configuration held 25 MB of
/// values while it was decoded, the document itself 4 MB. Short arrays, and arrays built in code,
/// keep their values.
public struct JSONArray: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable, Equatable {
    /// Arrays read with more elements than this are kept as element starts.
    public static let lazyThreshold = 1024

    /// Where an element starts in its document, and its position there.
    struct Start: Sendable {
        var offset: UInt32
        var line: UInt32
        var column: UInt32
    }

    private enum Storage: Sendable {
        case values([JSONValue])
        /// Read again from `document` on access; the document was already read once whole, so
        /// reading an element again cannot fail.
        case starts(document: [UInt8], starts: [Start])
    }

    private let storage: Storage

    /// Whether the values are kept (false: read again from the document on access).
    var keepsValues: Bool {
        if case .values = storage { return true }
        return false
    }

    public init(_ values: [JSONValue]) { storage = .values(values) }

    public init(arrayLiteral values: JSONValue...) { self.init(values) }

    init(document: [UInt8], starts: [Start]) { storage = .starts(document: document, starts: starts) }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .values(let values): values.count
        case .starts(_, let starts): starts.count
        }
    }

    public subscript(position: Int) -> JSONValue {
        switch storage {
        case .values(let values): values[position]
        case .starts(let document, let starts): JSONReader.element(of: document, at: starts[position])
        }
    }

    public static func == (a: JSONArray, b: JSONArray) -> Bool { a.elementsEqual(b) }
}
