import Audit
import Foundation

/// A successful visit's cookies as history keeps them, with their digest: pure and costly (a keyed
/// HMAC per value, the canonical bytes, SHA-256), so the daemon computes it where the visit ran (its
/// task, or libcurl's driver thread), off the loop that every visit's history line and state must pass
/// through.
public struct ListedCookies: Sendable, Hashable {
    public var cookies: [HistoryCookie]
    /// `HistoryRecord.digest(of: cookies)`.
    public var digest: String

    public init(_ observation: PageObservation, now: Date, fingerprinter: ValueFingerprinter) {
        cookies = HistoryCookie.list(from: observation, now: now, fingerprinter: fingerprinter)
        digest = HistoryRecord.digest(of: cookies)
    }
}
