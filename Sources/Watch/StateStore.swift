import Foundation
import StrictJSON
import Glibc

/// The daemon's saved state: `state.json`, a snapshot replaced atomically, and `state.journal`, the
/// changes since that snapshot, one JSON line each, appended and fsynced. Saving costs what changed,
/// not the size of the state; the snapshot is rewritten only when the journal's lines that replaced
/// something saved outweigh the state itself (and 1 MiB), so the cost per change stays constant however
/// many pages and pending events there are, and reading it back at start costs at most about twice
/// the state. Lines that add a page variant never saved before replace nothing: a first round, where
/// every page is new, writes its pages once, to the journal, rather than again in growing snapshots.
///
/// Crash safety: a save is one `write(2)` then `fsync`; a torn last line (a crash mid-write) is cut at
/// load, leaving the state as of the previous save. A snapshot is renamed into place before the
/// journal is emptied; a crash between the two replays the old journal over the new snapshot, which
/// gives the same state (`StateChange` is idempotent).
public final class StateStore {
    public let snapshotPath: String
    public let journalPath: String
    private var journal: Int32 = -1
    /// Bytes in the journal now, and in the last snapshot.
    public private(set) var journalBytes = 0
    public private(set) var snapshotBytes = 0
    /// Every byte this store has written (snapshots and journal lines): what saving has cost.
    public private(set) var bytesWritten = 0
    /// Journal bytes that replaced something saved (a page variant saved before, the alerts, the
    /// outbox, the webhook's events): what a snapshot would fold away.
    public private(set) var replacedBytes = 0
    /// Journal bytes of page variants saved for the first time: the state grew by them.
    public private(set) var grownBytes = 0
    /// The page variants saved (in the snapshot or the journal), by hash: a collision only counts a
    /// new page as replacing, which brings a snapshot forward, never back.
    private var savedPages: Set<Int> = []

    /// The journal's replacing lines grow to at most this, or the state's size if larger, before a
    /// snapshot.
    public static let minimumJournalBytes = 1 << 20

    public init(stateDirectory: String) {
        snapshotPath = stateDirectory + "/state.json"
        journalPath = stateDirectory + "/state.journal"
    }

    deinit { if journal >= 0 { close(journal) } }

    /// What was saved, or nil on a first start; a torn last journal line is cut off the file (its
    /// length is returned). Refuses, naming the file and line, a snapshot or journal line it does not
    /// fully understand: the daemon must not run on a state it half understands.
    public func load() throws(FileError) -> (state: WatchState?, cut: Int?) {
        let read = try Self.read(snapshotPath: snapshotPath, journalPath: journalPath)
        if read.cut != nil { try PosixFile.truncate(journalPath, to: read.journalBytes) }
        snapshotBytes = read.snapshotBytes
        journalBytes = read.journalBytes
        // What the journal replaced is not known any more: all of it counts, as it always did.
        replacedBytes = read.journalBytes
        grownBytes = 0
        savedPages = Set((read.state?.pages ?? []).map(Self.pageHash))
        journal = try PosixFile.openAppend(journalPath)
        return (read.state, read.cut)
    }

    /// The saved state of `stateDirectory` as it is on disk, without changing any file (a torn last
    /// line is ignored): for tests and tools that look at a running daemon's state.
    public static func peek(stateDirectory: String) throws(FileError) -> WatchState? {
        try read(snapshotPath: stateDirectory + "/state.json", journalPath: stateDirectory + "/state.journal").state
    }

    /// Appends `changes` as one write, then fsyncs.
    public func append(_ changes: [StateChange]) throws(FileError) {
        guard !changes.isEmpty else { return }
        if journal < 0 { journal = try PosixFile.openAppend(journalPath) }
        var bytes: [UInt8] = []
        var grown = 0
        var newPages: Set<Int> = []
        for change in changes {
            let start = bytes.count
            bytes += change.line()
            bytes.append(0x0A)
            if case .page(let page) = change {
                let hash = Self.pageHash(page)
                if !savedPages.contains(hash), newPages.insert(hash).inserted { grown += bytes.count - start }
            }
        }
        try PosixFile.appendLine(journal, bytes, file: journalPath)
        try PosixFile.sync(journal, file: journalPath)
        savedPages.formUnion(newPages)
        journalBytes += bytes.count
        grownBytes += grown
        replacedBytes += bytes.count - grown
        bytesWritten += bytes.count
    }

    /// Saves `changes` as journal lines, or a snapshot of `state()` when `changes` is nil (only a
    /// snapshot can say what changed) or `wantsSnapshot` (the journal's replacing lines outweigh the
    /// state).
    public func save(_ changes: [StateChange]?, state: () -> WatchState) throws(FileError) {
        guard let changes, !wantsSnapshot else {
            try snapshot(state())
            return
        }
        try append(changes)
    }

    /// Whether the journal's replacing lines outweigh the state (the snapshot and the pages the journal
    /// added to it): time to write `snapshot`.
    public var wantsSnapshot: Bool { replacedBytes > max(Self.minimumJournalBytes, snapshotBytes + grownBytes) }

    /// Replaces `state.json` with `state` atomically, then empties the journal.
    public func snapshot(_ state: WatchState) throws(FileError) {
        let written = try PosixFile.replaceAtomically(snapshotPath, mode: 0o640, chunks: state.snapshotChunks())
        snapshotBytes = written
        bytesWritten += written
        savedPages = Set(state.pages.map(Self.pageHash))
        if journal >= 0 {
            close(journal)
            journal = -1
        }
        if journalBytes > 0 || FileManager.default.fileExists(atPath: journalPath) {
            try? PosixFile.remove(journalPath + ".empty")
            try PosixFile.create(journalPath + ".empty", [], mode: 0o640)
            try PosixFile.rename(journalPath + ".empty", to: journalPath)
            try PosixFile.syncDirectory(PosixFile.directory(of: journalPath))
        }
        journalBytes = 0
        replacedBytes = 0
        grownBytes = 0
        journal = try PosixFile.openAppend(journalPath)
    }

    /// The change of a journal line `{"page": {...}}`; nil for any other line.
    private static func pageChange(_ line: ArraySlice<UInt8>) throws(PageStateReading.Problem) -> StateChange? {
        guard line.starts(with: Array(#"{"page":"#.utf8)), let value = try? JSONReader.parse(Array(line)),
            case .object(let members) = value.kind, members.count == 1, let page = members.first, page.key == "page"
        else { return nil }
        return .page(try PageStateReading.page(page.value, at: "page"))
    }

    private static func pageHash(_ page: PageState) -> Int {
        var hasher = Hasher()
        hasher.combine(page.site)
        hasher.combine(page.page)
        return hasher.finalize()
    }

    private static func read(snapshotPath: String, journalPath: String) throws(FileError) -> (
        state: WatchState?, cut: Int?, snapshotBytes: Int, journalBytes: Int
    ) {
        let document = StrictDocumentFile<WatchState>(path: snapshotPath, operation: "load the state")
        let snapshot = try document.load()
        let snapshotBytes = (try? FileManager.default.attributesOfItem(atPath: snapshotPath))?[.size] as? Int ?? 0
        guard let bytes = try PosixFile.read(journalPath), !bytes.isEmpty else {
            return (snapshot, nil, snapshotBytes, 0)
        }
        var changes: [StateChange] = []
        var start = 0
        var line = 0
        let decoder = WatchJSON.decoder
        while let end = bytes[start...].firstIndex(of: 0x0A) {
            line += 1
            do {
                // A page line (nearly all of them) by the strict reader; the rest through JSONDecoder.
                if let page = try Self.pageChange(bytes[start..<end]) {
                    changes.append(page)
                } else {
                    changes.append(try decoder.decode(StateChange.self, from: Data(bytes[start..<end])))
                }
            } catch let error as PageStateReading.Problem {
                throw FileError(file: journalPath, operation: "load the state", reason: "line \(line): \(error)")
            } catch let error as DecodingError {
                throw FileError(
                    file: journalPath, operation: "load the state",
                    reason: "line \(line): \(DecodingErrorText.describe(error))")
            } catch {
                throw FileError(file: journalPath, operation: "load the state", reason: "line \(line): \(error)")
            }
            start = end + 1
        }
        let cut = start < bytes.count ? bytes.count - start : nil
        let state = (snapshot ?? WatchState()).applying(changes)
        return (changes.isEmpty && snapshot == nil ? nil : state, cut, snapshotBytes, start)
    }
}
