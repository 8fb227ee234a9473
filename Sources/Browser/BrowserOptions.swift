import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// How cookiewatch runs its Chromium: what the configuration and the tests can change.
public struct BrowserOptions: Sendable, Hashable {
    /// Allow third-party cookies as a default desktop Chrome does (`profile.cookie_controls_mode` 0);
    /// false blocks them as a fresh headless profile does.
    public var thirdPartyCookies = true
    /// Host names mapped to addresses (like curl's `--resolve`); other names resolve as usual.
    public var resolve: [String: String] = [:]
    /// Resolve nothing but `resolve`'s names (tests: no name can leave the machine).
    public var resolveOnlyMapped = false
    /// Base64 SHA-256 of certificates' public keys to trust besides the system's (a staging box's
    /// self-signed certificate; the tests' throw-away CA leaves). Verification stays on for every other one.
    public var trustedPublicKeys: [String] = []
    /// The longest a protocol command may go unanswered before the browser counts as hung.
    public var commandTimeout: Duration = .seconds(15)
    /// After the load event, how long the network must stay quiet before the page counts as settled.
    public var settle: Duration = .milliseconds(500)
    /// Resident memory of the whole browser (all its processes) beyond which it is restarted between visits.
    public var memoryLimitBytes = 640 * 1_048_576
    /// The most connections one visit may open through its egress proxy; beyond it the rest are refused.
    public var maxRequestsPerVisit = 500
    /// Bytes one visit may move through its egress proxy, both directions; beyond it every tunnel is cut.
    public var maxBytesPerVisit = 64 * 1_048_576

    /// Chromium's own sandbox for its renderers (it needs unprivileged user namespaces). Off as root,
    /// where Chromium refuses it, and in the systemd unit, whose own sandbox confines the whole service
    /// (`COOKIEWATCH_CHROMIUM_SANDBOX=off`; docs/browser.md says what that trades).
    public var chromiumSandbox =
        geteuid() != 0 && ProcessInfo.processInfo.environment["COOKIEWATCH_CHROMIUM_SANDBOX"] != "off"

    public init() {}
}
