/// The `browser` key: how the browser engine's Chromium runs. Used only when a site or variant
/// chooses `"engine": "browser"`.
public struct BrowserSettings: Sendable, Hashable {
    /// The Chromium binary; nil finds Debian's (`chromium-headless-shell`, else `chromium`).
    public var binary: String?
    /// Third-party cookies allowed as in a default desktop Chrome (true), or blocked as in a fresh
    /// headless profile (false).
    public var thirdPartyCookies = true
    /// After the load event, how long the network must stay quiet before the page counts as settled.
    public var settle: Duration = .milliseconds(500)
    /// Browser visits in flight at once (each is a browser context with its renderers).
    public var concurrency = 10
    /// Resident memory of all the browser's processes beyond which it is restarted between visits.
    public var memoryLimitMiB = 640
    /// Base64 SHA-256 public-key pins of certificates to trust besides the system's (a staging box's
    /// self-signed certificate). Verification stays on for every other certificate.
    public var trustedPublicKeys: [String] = []

    public init() {}
}
