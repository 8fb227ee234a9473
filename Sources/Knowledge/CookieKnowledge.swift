import Charter
import Foundation

/// The Open Cookie Database as an index: exact names in a dictionary, prefixes (wildcard entries) in a
/// byte trie, so a lookup costs one hash and one walk over the name's bytes, as the charter matcher.
public struct CookieKnowledge: Sendable {
    private var exact: [String: [Int32]] = [:]
    private var prefixes: ByteTrie
    public let entries: [KnownCookie]

    /// Reads the database's CSV (`id,platform,category,name,domain,retention,controller,wildcard`).
    public init(csv: String) throws(KnowledgeError) {
        var entries: [KnownCookie] = []
        var prefixKeys: [(key: [UInt8], value: Int32)] = []
        var exact: [String: [Int32]] = [:]
        for (line, fields) in CSVReader.rows(csv).enumerated() where line > 0 {
            guard fields.count == 8 else {
                throw KnowledgeError(
                    "line \(line + 1) of the Open Cookie Database has \(fields.count) fields, expected 8")
            }
            let isPrefix = fields[7] == "1"
            var domain = fields[4].trimmingSpaces
            let thirdParty = domain.hasSuffix("(3rd party)")
            if thirdParty { domain = String(domain.dropLast("(3rd party)".count)).trimmingSpaces }
            let entry = KnownCookie(
                id: fields[0], platform: fields[1], upstreamCategory: fields[2],
                category: KnowledgeCategory.charterCategory(fields[2]), name: fields[3], isPrefix: isPrefix,
                domain: domain.isEmpty ? nil : domain, thirdParty: thirdParty, retention: fields[5].trimmingSpaces,
                controller: fields[6])
            let index = Int32(entries.count)
            entries.append(entry)
            if isPrefix {
                // A prefix of one or two characters (`_s`, `tp`) would claim many unrelated names: it
                // is kept for its exact name only.
                if entry.name.utf8.count < Self.minimumPrefix {
                    exact[entry.name, default: []].append(index)
                    continue
                }
                prefixKeys.append((Array(entry.name.utf8), index))
            } else {
                exact[entry.name, default: []].append(index)
            }
        }
        self.entries = entries
        self.exact = exact
        prefixes = ByteTrie(prefixKeys)
    }

    /// The database's entries for `name`: those with exactly this name, else the wildcard entries with
    /// the longest prefix of it; empty when the database does not know it. Several entries mean several
    /// platforms use the name.
    public func lookup(_ name: String) -> [KnownCookie] {
        if let found = exact[name] { return found.map { entries[Int($0)] } }
        var best: [Int32] = []
        var bestLength = 0
        var name = name
        name.withUTF8 { bytes in
            prefixes.forEachPrefix(of: bytes, reversed: false) { index in
                let length = entries[Int(index)].name.utf8.count
                if length > bestLength {
                    best = [index]
                    bestLength = length
                } else if length == bestLength {
                    best.append(index)
                }
            }
        }
        return best.map { entries[Int($0)] }
    }

    /// The shortest wildcard prefix matched as a prefix.
    public static let minimumPrefix = 3

    /// The database shipped with cookiewatch (`knowledge/open-cookie-database.csv`), read once.
    public static let openCookieDatabase: CookieKnowledge = {
        do { return try CookieKnowledge(csv: OpenCookieDatabase.csv) } catch {
            fatalError("the shipped Open Cookie Database does not read: \(error)")
        }
    }()

    /// Starts reading `openCookieDatabase` on a thread of its own, so that a command that will audit
    /// (`scan`, `run`) reads it while it loads its configuration, instead of after (about 10 ms of a
    /// start spent on one core while the other waited). The first use waits for it if it is not done.
    public static func preloadOpenCookieDatabase() {
        Thread.detachNewThread { _ = openCookieDatabase }
    }
}

public struct KnowledgeError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}

/// RFC 4180 rows: fields separated by commas, quoted with `"` when they hold one, `""` for a quote.
/// Read as UTF-8 bytes (the separators are ASCII, which no multi-byte character contains): the
/// shipped database was read a scalar at a time, 25 ms of every scan's and daemon's start.
enum CSVReader {
    static func rows(_ text: String) -> [[String]] {
        var text = text
        return text.withUTF8 { rows(bytes: $0) }
    }

    private static func rows(bytes: UnsafeBufferPointer<UInt8>) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = 0
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte != UInt8(ascii: "\"") {
                    field.append(byte)
                } else if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    field.append(byte)
                    index += 1
                } else {
                    quoted = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where field.isEmpty: quoted = true
            case UInt8(ascii: ","): endField()
            case UInt8(ascii: "\n"):
                endField()
                rows.append(row)
                row = []
            case UInt8(ascii: "\r"): continue
            default: field.append(byte)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }
}
