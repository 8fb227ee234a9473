/// Prometheus's text exposition format (version 0.0.4), written one family at a time: `# HELP` and
/// `# TYPE` once, then its samples. No I/O; label values and help text are escaped as the format says.
public struct Exposition: Sendable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// The document so far.
    public private(set) var text = ""

    public init() {}

    /// Starts the family `name`; its samples follow.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample: `name{label="value",...} value`.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{"
            text += labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",")
            text += "}"
        }
        text += " " + Self.number(value) + "\n"
    }

    /// Integral values without a fraction ("3", not "3.0"); others as Go's parser reads them.
    static func number(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Label values escape backslash, double quote and newline; help text backslash and newline.
    static func escapeLabel(_ value: String) -> String { escape(value, quote: true) }
    static func escapeHelp(_ value: String) -> String { escape(value, quote: false) }

    private static func escape(_ value: String, quote: Bool) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where quote: out += "\\\""
            default: out.append(character)
            }
        }
        return out
    }
}
