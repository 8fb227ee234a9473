/// `baseline.json` in the state directory: replaced atomically, read strictly.
public struct BaselineFile: Sendable {
    public let path: String
    /// Its name in the state directory.
    public static let fileName = "baseline.json"

    /// The baseline file of `stateDirectory`.
    public init(stateDirectory: String) {
        path = stateDirectory + "/" + Self.fileName
    }

    /// The pinned baseline, or nil when nothing has been pinned.
    ///
    /// Refuses, naming the file and the key path: malformed JSON, wrong types, unknown keys, a newer
    /// `formatVersion`, and a page whose `digest` is not that of its cookies (a hand edit that would
    /// make every comparison wrong).
    public func load() throws(FileError) -> Baseline? {
        guard let baseline = try file.load() else { return nil }
        for (name, site) in baseline.sites.sorted(by: { $0.key < $1.key }) {
            for (index, page) in site.pages.enumerated() where page.digest != HistoryRecord.digest(of: page.cookies) {
                throw file.problem("sites.\(name).pages[\(index)].digest: is not the digest of the page's cookies")
            }
        }
        return baseline
    }

    /// Writes `baseline` to a temporary file in the same directory, fsyncs it, renames it over
    /// `baseline.json` (mode 0640) and fsyncs the directory: after a crash the old pin or the new one.
    public func save(_ baseline: Baseline) throws(FileError) { try file.save(baseline) }

    private var file: StrictDocumentFile<Baseline> { StrictDocumentFile(path: path, operation: "load the baseline") }

    static func encoded(_ baseline: Baseline) -> [UInt8] { StrictDocumentFile<Baseline>.encoded(baseline) }
}
