/// How a page variant is observed.
public enum Engine: String, Sendable, Hashable, CaseIterable {
    /// libcurl, hop by hop with cookiewatch's own jar: every `Set-Cookie` of the navigation. The default.
    case http
    /// Headless Chromium: scripts run, subresources load, the browser's own store is read.
    case browser
}
