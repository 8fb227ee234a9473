import Foundation

extension String {
    /// Lower case without diacritics, typographic apostrophes as `'`, runs of any whitespace
    /// (including the no-break spaces of French typography) as one space, trimmed.
    package var folded: String {
        let plain = folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var out = ""
        var pendingSpace = false
        for character in plain {
            if character.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(character == "\u{2019}" || character == "\u{2018}" ? "'" : character)
        }
        return out
    }
}
