import Charter

/// Reads the cookie names of one table cell: several names ("_hjSessionUser; _hjid"), phrases that
/// mean a pattern ("Any cookie starting with _hs"), placeholders ("_ga_<container-id>").
enum CookieNameCell {
    /// Each name found, as a checked pattern text, or the reason it could not be read.
    static func names(in cell: String) -> [Result<String, NameCellProblem>] {
        pieces(of: cell).map { piece in
            let text = pattern(from: piece)
            do throws(NamePattern.Problem) {
                return .success(try NamePattern(parsing: text).text)
            } catch {
                return .failure(NameCellProblem(text: piece, problem: error))
            }
        }
    }

    private static let separators: Set<Character> = [";", ",", "\n"]
    private static let wordSeparators = [" and ", " et ", " or ", " ou "]
    private static let startPhrases = [
        "starting with", "beginning with", "begins with", "starts with", "prefixed with", "commencant par",
        "debutant par", "prefixe par", "prefixes par",
    ]
    private static let endPhrases = ["ending with", "ends with", "se terminant par", "finissant par", "suffixe"]
    private static let containPhrases = ["containing", "contenant"]

    private static func pieces(of cell: String) -> [String] {
        var text = cell
        for tag in ["<br>", "<br/>", "<br />", "<BR>"] { text = text.replacing(tag, with: "\n") }
        var parts = text.split(whereSeparator: { separators.contains($0) }).map(String.init)
        for word in wordSeparators {
            parts = parts.flatMap { part in
                // Phrases such as "starting with _hs" are not split; only lists of names are.
                isPhrase(part) ? [part] : part.components(word)
            }
        }
        return parts.map(\.trimmingSpaces).map(unquoted).filter { !$0.isEmpty }
    }

    private static func isPhrase(_ text: String) -> Bool {
        let folded = text.folded
        return (startPhrases + endPhrases + containPhrases).contains { folded.contains($0) }
    }

    private static func unquoted(_ text: String) -> String {
        var result = text
        let quotes: Set<Character> = ["`", "\"", "'", "\u{201C}", "\u{201D}", "\u{00AB}", "\u{00BB}"]
        while let first = result.first, quotes.contains(first) { result.removeFirst() }
        while let last = result.last, quotes.contains(last) { result.removeLast() }
        return result.trimmingSpaces
    }

    private static func pattern(from piece: String) -> String {
        let folded = piece.folded
        let lastWord = piece.split(separator: " ").last.map { unquoted(String($0)) } ?? piece
        if startPhrases.contains(where: folded.contains) { return lastWord + "*" }
        if endPhrases.contains(where: folded.contains) { return "*" + lastWord }
        if containPhrases.contains(where: folded.contains) { return "*" + lastWord + "*" }
        return replacingPlaceholders(piece)
    }

    // "_ga_<container-id>" and "_pk_id.{site}" stand for a family of names.
    private static func replacingPlaceholders(_ text: String) -> String {
        var out = ""
        var closing: Character?
        for character in text {
            if let end = closing {
                if character == end { closing = nil }
                continue
            }
            switch character {
            case "<": closing = ">"; out.append("*")
            case "{": closing = "}"; out.append("*")
            case "[": closing = "]"; out.append("*")
            default: out.append(character)
            }
        }
        return closing == nil ? out : text
    }
}

/// A piece of a name cell that is not a cookie name.
struct NameCellProblem: Error, Hashable, CustomStringConvertible {
    let text: String
    let problem: NamePattern.Problem

    var description: String { "cannot read cookie name \"\(text)\": \(problem)" }
}

extension String {
    /// Without leading and trailing whitespace.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }

    /// Split on a separator string.
    func components(_ separator: String) -> [String] {
        split(separator: separator).map(String.init)
    }
}
