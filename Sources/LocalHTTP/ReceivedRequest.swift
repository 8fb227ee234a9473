import Foundation

/// A request the server received, as the route handler and the test see it.
public struct ReceivedRequest: Sendable, Hashable {
    public var method: String
    /// The request target as sent (path and query).
    public var target: String
    /// The target without its query.
    public var path: String
    /// Header fields in order, values decoded lossily as UTF-8.
    public var headers: [Field]
    /// The local address and port the request arrived on.
    public var localAddress: String
    public var localPort: Int
    /// The request body (read by its Content-Length; empty for a GET).
    public var body: [UInt8] = []

    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    /// The first value of the header `name` (case-insensitive), if present.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Reads a request head (everything before the blank line); nil when it is not HTTP/1.x.
    init?(head: ArraySlice<UInt8>, localAddress: String, localPort: Int) {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let start = lines[0].split(separator: " ")
        guard start.count == 3, start[2].hasPrefix("HTTP/1.") else { return nil }
        method = String(start[0])
        target = String(start[1])
        path = String(target.prefix { $0 != "?" && $0 != "#" })
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return Field(
                name: String(line[..<colon]),
                value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        self.localAddress = localAddress
        self.localPort = localPort
    }
}
