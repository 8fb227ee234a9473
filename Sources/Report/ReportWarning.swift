/// Input the report could not use, shown in every rendering: which file, which line, what was wrong.
public struct ReportWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; nil when the warning is about the file as a whole (a missing day).
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }
}
