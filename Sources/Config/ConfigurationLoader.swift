import Charter
import StrictJSON

/// Reads a config file and every charter it names, checking everything and reporting every problem
/// with the file, the key path and what was expected.
public struct ConfigurationLoader: Sendable {
    public let files: any FileSource
    /// The process environment: `STATE_DIRECTORY` and `LOGS_DIRECTORY` (set by systemd) give defaults.
    public let environment: [String: String]

    public init(files: any FileSource, environment: [String: String]) {
        self.files = files
        self.environment = environment
    }

    /// The checked configuration at `path`, or every error found in it and in its charters.
    public func load(path: String) throws(ValidationErrors) -> Configuration {
        let bytes: [UInt8]
        do {
            bytes = try files.read(path, limit: FileLimits.config)
        } catch {
            throw ValidationErrors([ValidationError(file: path, message: error.describe("config file"))])
        }
        let root = try JSONReader.read(bytes, file: path)
        var decoder = ConfigurationDecoder(
            diagnostics: Diagnostics(file: path), directory: Self.directory(of: path), loader: self)
        let configuration = decoder.decode(root)
        guard let configuration, decoder.diagnostics.isEmpty else {
            throw ValidationErrors(Self.inReadingOrder(decoder.diagnostics.errors, configFile: path))
        }
        return configuration
    }

    /// Reads and checks one charter file; a problem reading it is reported at `node` in the config.
    func loadCharter(_ path: String, at node: JSONNode, _ diagnostics: inout Diagnostics) -> Charter? {
        let bytes: [UInt8]
        do {
            bytes = try files.read(path, limit: FileLimits.charter)
        } catch {
            var quoted = JSONValue.quoted(path)
            if case .string(let written) = node.value.kind, written != path {
                quoted = "\(JSONValue.quoted(written)) (resolved to \(JSONValue.quoted(path)))"
            }
            switch error {
            case .notFound: diagnostics.report("charter file \(quoted) does not exist", at: node)
            case .isDirectory:
                diagnostics.report("charter file \(quoted) is a directory, expected a JSON file", at: node)
            case .unreadable(let reason): diagnostics.report("cannot read charter file \(quoted): \(reason)", at: node)
            case .tooLarge: diagnostics.report(error.describe("charter file \(quoted)"), at: node)
            }
            return nil
        }
        do {
            return try Charter(decoding: bytes, file: path)
        } catch {
            diagnostics.append(contentsOf: error.errors)
            return nil
        }
    }

    /// The config file's errors by position (the decoder visits keys in its own order), then the
    /// charters' errors as their files reported them.
    static func inReadingOrder(_ errors: [ValidationError], configFile: String) -> [ValidationError] {
        let own = errors.enumerated().filter { $0.element.file == configFile }.sorted { lhs, rhs in
            let left = lhs.element.position.map { ($0.line, $0.column) } ?? (Int.max, Int.max)
            let right = rhs.element.position.map { ($0.line, $0.column) } ?? (Int.max, Int.max)
            return left == right ? lhs.offset < rhs.offset : left < right
        }
        return own.map(\.element) + errors.filter { $0.file != configFile }
    }

    /// The directory part of `path`, "" for a bare file name.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `path` as seen from the config file: absolute paths stay, others are joined to `directory`.
    static func resolve(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }
}
