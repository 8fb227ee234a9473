/// A charter entry's cookie name: an exact name, or a glob where `*` stands for any run of characters.
public struct NamePattern: Sendable, Hashable, CustomStringConvertible {
    /// The name as written in the charter (runs of `*` collapsed to one).
    public let text: String
    /// The literal pieces between the stars; one piece for an exact name.
    let pieces: [[UInt8]]

    /// Why a name cannot be used.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case onlyWildcards
        case invalidCharacter(Character)

        public var description: String {
            switch self {
            case .empty:
                return "empty cookie name"
            case .onlyWildcards:
                return "a pattern of only '*' would match every cookie; give at least one literal character"
            case .invalidCharacter(" "):
                return "cookie names cannot contain a space"
            case .invalidCharacter(let character):
                if let byte = character.asciiValue, (0x21..<0x7F).contains(byte) {
                    return "cookie names cannot contain '\(character)'"
                }
                let scalar = character.unicodeScalars.first?.value ?? 0
                return "cookie names cannot contain U+\(String(scalar, radix: 16, uppercase: true))"
            }
        }
    }

    /// Checks and reads a charter name. Names are RFC 6265 tokens, so separators, spaces and
    /// control characters are refused; `*` is the only wildcard.
    public init(parsing text: String) throws(Problem) {
        guard !text.isEmpty else { throw .empty }
        for character in text where character != "*" {
            if Self.forbidden.contains(character)
                || character.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
            {
                throw .invalidCharacter(character)
            }
        }
        var collapsed = ""
        for character in text where !(character == "*" && collapsed.last == "*") { collapsed.append(character) }
        guard collapsed != "*" else { throw .onlyWildcards }
        self.text = collapsed
        self.pieces = collapsed.split(separator: "*", omittingEmptySubsequences: false).map { Array($0.utf8) }
    }

    private static let forbidden: Set<Character> = [
        "(", ")", "<", ">", "@", ",", ";", ":", "\\", "\"", "/", "[", "]", "?", "=", "{", "}",
    ]

    /// True when the name has no `*`.
    public var isExact: Bool { pieces.count == 1 }

    /// The literal text before the first `*` (the whole name when exact).
    var literalPrefix: [UInt8] { pieces[0] }
    /// The literal text after the last `*`; empty when exact or ending with `*`.
    var literalSuffix: [UInt8] { isExact ? [] : pieces[pieces.count - 1] }

    /// Whether `name` (UTF-8) is matched: exact equality, or the glob pieces found in order.
    func matches(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if isExact { return name.elementsEqual(pieces[0]) }
        let prefix = pieces[0]
        let suffix = pieces[pieces.count - 1]
        guard name.count >= prefix.count + suffix.count,
            name.starts(with: prefix),
            name[(name.count - suffix.count)...].elementsEqual(suffix)
        else { return false }
        var start = prefix.count
        let end = name.count - suffix.count
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = Self.find(piece, in: name, from: start, to: end) else { return false }
            start = found + piece.count
        }
        return true
    }

    private static func find(_ piece: [UInt8], in name: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
        -> Int?
    {
        guard end - start >= piece.count else { return nil }
        for index in start...(end - piece.count) where name[index] == piece[0] {
            if name[index..<(index + piece.count)].elementsEqual(piece) { return index }
        }
        return nil
    }

    public var description: String { text }
}
