/// What one transfer produced, read on the driver thread and handed back to the visiting task.
struct TransferResult: Sendable {
    enum Exceeded: Sendable { case body, headers }

    var status = 0
    var httpVersion: String?
    var headers: [HeaderField] = []
    var redirectURL: String?
    var primaryIP: String?
    var primaryPort: Int?
    var tlsVersion: String?
    var timings = HopTimings()
    var bodyBytes = 0
    /// The body itself, when the spec asked to keep it.
    var body: [UInt8]?
    /// Whether the blank line ending the (final) header block arrived.
    var headersComplete = false
    /// Which cap the callbacks enforced, if one stopped the transfer.
    var exceeded: Exceeded?
    /// The resolved address the policy refused, if one was.
    var blockedAddress: String?
    /// nil when curl finished with CURLE_OK.
    var curlCode: Int?
    var curlText: String?
    /// A failure code given by `ScriptedFetcher` instead of a curl result.
    var scriptedFailure: FetchFailure.Code?
    /// Set when the transfer was cancelled before it finished.
    var wasCancelled = false
}
