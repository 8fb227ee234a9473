import Foundation

extension DeclaredDuration {
    /// Reads a duration as charters publish it, in English or French: "session", "2 weeks",
    /// "Up to 12 months", "jusqu'à 12 mois", "13 mois", "1 an", "24 heures", "2 weeks by default",
    /// "1 year and 6 months". Nil when the text says something else: callers report it.
    public init?(parsing text: String) {
        var words = text.folded
        while let last = words.last, last == "." || last == ")" || last == "(" { words.removeLast() }
        words = words.replacingOccurrences(of: "(", with: " ").replacingOccurrences(of: ")", with: " ").folded
        if Self.sessionPhrases.contains(words) {
            self.init(text: text, lifetime: .session)
            return
        }
        words = Self.stripping(qualifiers: words)
        guard let seconds = Self.sum(of: words), seconds > 0 else { return nil }
        self.init(text: text, lifetime: .seconds(seconds))
    }

    private static let sessionPhrases: Set<String> = [
        "session", "session cookie", "end of session", "end of the session", "browser session",
        "until the end of the session", "until the browser is closed", "when the browser is closed",
        "fin de session", "fin de la session", "cookie de session", "la session", "duree de la session",
        "jusqu'a la fin de la session", "a la fermeture du navigateur",
    ]

    // Charters hedge ("up to", "by default"); the audit compares against the stated bound.
    private static let leadingQualifiers = [
        "up to ", "at most ", "maximum of ", "maximum ", "max. ", "max ", "jusqu'a ", "au plus ", "au maximum ",
        "pendant ", "for ", "duree de ",
    ]
    private static let trailingQualifiers = [
        " by default", " par defaut", " maximum", " max", " au maximum", " au plus",
    ]

    private static func stripping(qualifiers text: String) -> String {
        var words = text
        var changed = true
        while changed {
            changed = false
            for prefix in leadingQualifiers where words.hasPrefix(prefix) {
                words.removeFirst(prefix.count)
                changed = true
            }
            for suffix in trailingQualifiers where words.hasSuffix(suffix) {
                words.removeLast(suffix.count)
                changed = true
            }
        }
        return words
    }

    /// "1 year and 6 months", "1 an et 6 mois", "24h": a sum of amount-unit pairs.
    private static func sum(of text: String) -> Int? {
        var tokens = tokenize(text)
        guard !tokens.isEmpty else { return nil }
        var total = 0.0
        while !tokens.isEmpty {
            guard tokens.count >= 2, let amount = amount(tokens[0]), let unit = unitSeconds[tokens[1]] else {
                return nil
            }
            total += amount * Double(unit)
            tokens.removeFirst(2)
            if let first = tokens.first, first == "and" || first == "et" || first == "," { tokens.removeFirst() }
        }
        guard total < Double(Int32.max) * 100 else { return nil }
        return Int(total.rounded())
    }

    // "24h" and "2,5 ans" come glued or with a decimal comma; split digits from letters.
    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var currentIsNumber = false
        func flush() {
            if !current.isEmpty { tokens.append(current) }
            current = ""
        }
        for character in text {
            if character == " " {
                flush()
            } else if character == "," && !currentIsNumber {
                flush()
                tokens.append(",")
            } else {
                let isNumber = character.isNumber || ((character == "." || character == ",") && currentIsNumber)
                if !current.isEmpty && isNumber != currentIsNumber { flush() }
                currentIsNumber = isNumber
                current.append(character)
            }
        }
        flush()
        return tokens
    }

    private static func amount(_ token: String) -> Double? {
        switch token {
        case "a", "an", "one", "un", "une": return 1
        default: return Double(token.replacingOccurrences(of: ",", with: "."))
        }
    }

    private static let unitSeconds: [String: Int] = {
        var table: [String: Int] = [:]
        let units: [(Int, [String])] = [
            (1, ["s", "sec", "secs", "second", "seconds", "seconde", "secondes"]),
            (CalendarConvention.minute, ["min", "mins", "minute", "minutes"]),
            (CalendarConvention.hour, ["h", "hr", "hrs", "hour", "hours", "heure", "heures"]),
            (CalendarConvention.day, ["d", "day", "days", "j", "jour", "jours"]),
            (CalendarConvention.week, ["w", "wk", "wks", "week", "weeks", "semaine", "semaines"]),
            (CalendarConvention.month, ["month", "months", "mois"]),
            (CalendarConvention.year, ["y", "yr", "yrs", "year", "years", "an", "ans", "annee", "annees"]),
        ]
        for (seconds, names) in units {
            for name in names { table[name] = seconds }
        }
        return table
    }()
}
