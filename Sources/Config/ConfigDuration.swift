/// The one reader of durations in the configuration: a whole number and a unit, "30s", "15m", "1h", "7d".
public enum ConfigDuration {
    /// Seconds per unit letter.
    static let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]

    /// The number of seconds `text` stands for, or nil when it is not of the form "<digits><s|m|h|d>".
    public static func seconds(parsing text: String) -> Int? {
        guard let unit = text.last, let multiplier = units[unit] else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let amount = Int(digits)
        else { return nil }
        return amount * multiplier
    }

    /// What the error messages say a duration looks like.
    static let expected = "expected a duration like \"30s\", \"15m\", \"1h\" or \"7d\""
}
