/// Why a visit did not complete: a stable code, a message a person can act on, and where it happened.
public struct FetchFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable short identifiers; scan reports and alerts key on them.
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        case dns
        case connect
        /// The connection broke after it was made (reset, empty reply, read or write error).
        case network
        case tls
        case timeout
        case tooManyRedirects = "too-many-redirects"
        /// A URL or redirect target that is not http(s), or that cannot be read.
        case `protocol`
        case bodyTooLarge = "body-too-large"
        case headersTooLarge = "headers-too-large"
        case blockedAddress = "blocked-address"
        case httpStatus = "http-status"
        /// The visit's task was cancelled (e.g. the daemon is stopping).
        case cancelled
        /// libcurl failed in a way none of the above describes; `curlCode` says how.
        case `internal`
        /// The browser engine's Chromium died during the visit (it is restarted for the next one).
        case browserCrashed = "browser-crashed"
        /// The browser engine's Chromium stopped answering the protocol (it is killed and restarted).
        case browserTimeout = "browser-timeout"
        /// The browser engine has no usable Chromium (not installed, too old, would not start).
        case browserUnavailable = "browser-unavailable"
        /// A consent banner selector the variant clicks matches nothing on the page.
        case bannerNotFound = "banner-not-found"
        /// The variant's login journey did not sign in (the message names the step and the reason).
        case loginFailed = "login-failed"
    }

    public let code: Code
    /// What went wrong, naming the URL or address concerned.
    public let message: String
    /// The libcurl CURLcode and its text, when libcurl reported the failure.
    public let curlCode: Int?
    public let curlText: String?
    /// The zero-based hop the failure happened on, and its URL.
    public let hopIndex: Int
    public let url: String

    public init(code: Code, message: String, curlCode: Int? = nil, curlText: String? = nil, hopIndex: Int, url: String)
    {
        self.code = code
        self.message = message
        self.curlCode = curlCode
        self.curlText = curlText
        self.hopIndex = hopIndex
        self.url = url
    }

    public var description: String {
        let curl = curlCode.map { " (curl \($0): \(curlText ?? "no detail"))" } ?? ""
        return "\(code.rawValue): hop \(hopIndex) \(url): \(message)\(curl)"
    }
}
