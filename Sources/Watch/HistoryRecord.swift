import Audit
import CookieModel
import Foundation

/// One line of `history/YYYY-MM-DD.jsonl`: one scan of one page variant.
public struct HistoryRecord: Sendable, Hashable {
    /// The format this code writes; readers reject lines of a newer format.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// SHA-256 hex of the previous line's bytes (without its newline); 64 zeros for the first line ever.
    public var prev: String
    /// When the scan ran, to the second (UTC); it also picks the day file.
    public var time: Date
    public var site: String
    public var page: PageRef
    public var outcome: Outcome
    /// On a `cookies` line, when the page variant is pinned in `baseline.json`: the changes from the
    /// pinned list to this one (empty when they are the same). Nil otherwise, and then not written.
    public var baselineDrift: [DriftEvent]?

    /// What the scan found.
    public enum Outcome: Sendable, Hashable {
        /// The stored cookies changed since the page variant's last successful scan (or it is the first).
        case cookies(digest: String, cookies: [HistoryCookie], drift: [DriftEvent])
        /// The same cookies as last time.
        case unchanged(digest: String)
        /// The page could not be fetched; its cookies are unknown, not gone.
        case failure(HistoryFailure)
    }

    public init(
        formatVersion: Int = currentFormatVersion, prev: String = HexDigest.zero, time: Date, site: String,
        page: PageRef, outcome: Outcome
    ) {
        self.formatVersion = formatVersion
        self.prev = prev
        self.time = time
        self.site = site
        self.page = page
        self.outcome = outcome
    }

    /// The record of a successful scan: the full list if it differs from `previous` (the page
    /// variant's last successful scan, nil if none), else an `unchanged` line. `digest` and
    /// `previousDigest`, when given, are those lists' digests, already computed.
    public static func scan(
        site: String, page: PageRef, time: Date, cookies: [HistoryCookie], previous: [HistoryCookie]?,
        digest: String? = nil, previousDigest: String? = nil
    ) -> HistoryRecord {
        let digest = digest ?? Self.digest(of: cookies)
        if let previous, (previousDigest ?? Self.digest(of: previous)) == digest {
            return HistoryRecord(time: time, site: site, page: page, outcome: .unchanged(digest: digest))
        }
        let sorted = HistoryCookie.sortedByIdentity(cookies)
        let drift = previous.map { DriftEvent.between(previous: $0, current: sorted) } ?? []
        return HistoryRecord(
            time: time, site: site, page: page, outcome: .cookies(digest: digest, cookies: sorted, drift: drift))
    }

    /// The record of a scan that failed.
    public static func failure(site: String, page: PageRef, time: Date, failure: HistoryFailure) -> HistoryRecord {
        HistoryRecord(time: time, site: site, page: page, outcome: .failure(failure))
    }

    /// SHA-256 over the canonical cookie list: identities and `CookieAttributes`, sorted by identity,
    /// as JSON with sorted keys. Value lengths and fingerprints are left out, like in drift.
    /// (`canonicalBytes` writes them; `CompactJSONTests` holds them to JSONEncoder's bytes.)
    public static func digest(of cookies: [HistoryCookie]) -> String {
        HexDigest.sha256(canonicalBytes(HistoryCookie.sortedByIdentity(cookies)))
    }

    /// The digest of the scan, nil for a failure.
    public var digest: String? {
        switch outcome {
        case .cookies(let digest, _, _), .unchanged(let digest): return digest
        case .failure: return nil
        }
    }

    /// The line's bytes, without the newline: the `Codable` form, written by hand (`CompactJSON`).
    public func line() -> [UInt8] {
        var json = CompactJSON(capacity: 1_024)
        write(to: &json)
        return json.bytes
    }

    /// The record a line holds, or why it is not one.
    public static func parse(_ line: some Collection<UInt8>) -> Result<HistoryRecord, HistoryLineProblem> {
        do {
            let record = try JSONDecoder().decode(HistoryRecord.self, from: Data(line))
            guard record.formatVersion <= currentFormatVersion else {
                return .failure(
                    HistoryLineProblem(
                        "formatVersion \(record.formatVersion) is newer than this cookiewatch (\(currentFormatVersion))"
                    ))
            }
            return .success(record)
        } catch let error as DecodingError {
            return .failure(HistoryLineProblem(describing: error))
        } catch {
            return .failure(HistoryLineProblem("not a history record: \(error)"))
        }
    }
}

/// Why a history line is not a valid record.
public struct HistoryLineProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }

    init(describing error: DecodingError) { self.init(DecodingErrorText.describe(error)) }
}

/// Why a scan failed: a stable short code (`dns`, `timeout`, ...), a sentence and the URL.
public typealias HistoryFailure = ObservedFailure
