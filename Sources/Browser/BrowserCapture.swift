/// Everything one browser visit saw, in the order it happened. Cookie values are here (the audit
/// needs them for shape and fingerprint) and never leave the process otherwise.
public struct BrowserCapture: Sendable {
    /// One response of the page load: a navigation hop, a subresource or a frame's document.
    public struct Response: Sendable, Hashable {
        public var url: String
        public var status: Int
        /// Part of the top-level navigation (the page and its redirects), not a subresource.
        public var isNavigation: Bool
        /// The resource type Chromium gives (`Document`, `Script`, `Image`, `XHR`, ...).
        public var resourceType: String
        /// Every `Set-Cookie` line, in order, as received.
        public var setCookieLines: [String]
        /// The response's `Date` header, if any.
        public var date: String?
        /// Chromium's refusals, by line: the reasons for each blocked line.
        public var blocked: [Blocked]
        /// The top-level site the response's cookies are keyed to, when Chromium partitions them.
        public var partitionTopLevelSite: String?
        /// Chromium says the response had a cross-site ancestor (a third-party context).
        public var crossSiteAncestor: Bool
    }

    /// A `Set-Cookie` line Chromium refused, and why.
    public struct Blocked: Sendable, Hashable {
        public var line: String
        public var reasons: [String]
    }

    /// A cookie written by a script: `document.cookie = ...` or `cookieStore.set(...)`.
    public struct ScriptWrite: Sendable, Hashable {
        /// The document the script ran in.
        public var documentURL: String
        /// The script that wrote it: its URL, or the document's URL for an inline script; nil if unknown.
        public var scriptURL: String?
        /// The string written (`name=value; attributes`), as a `Set-Cookie` line.
        public var text: String
    }

    public enum Event: Sendable, Hashable {
        case response(Response)
        case script(ScriptWrite)
        /// The visitor clicked the banner: what follows happened after this choice (`accept`, `refuse`).
        case choice(String)
    }

    /// A cookie in the browser's store at the end of the visit (`Storage.getCookies`).
    public struct StoredCookie: Sendable, Hashable {
        public var name: String
        public var value: String
        public var domain: String
        public var path: String
        public var secure: Bool
        public var httpOnly: Bool
        /// nil when the cookie did not set one.
        public var sameSite: String?
        /// Seconds since 1970, nil for a session cookie.
        public var expires: Double?
        /// The top-level site of a partitioned (CHIPS) cookie.
        public var partitionTopLevelSite: String?
    }

    /// Storage key names of one origin (values are never read out of the page).
    public struct StorageKeys: Sendable, Hashable {
        public var origin: String
        public var local: [String]
        public var session: [String]
    }

    public var events: [Event] = []
    public var finalCookies: [StoredCookie] = []
    public var storage: [StorageKeys] = []
    /// The URL the page ended on.
    public var finalURL: String?
    /// Whether the load event fired before the visit ended.
    public var loaded = false
    /// Requests the egress proxy refused: `host:port: reason` (no path, no query).
    public var refused: [String] = []

    public init() {}

    public var responses: [Response] {
        events.compactMap {
            if case .response(let response) = $0 { return response }
            return nil
        }
    }

    public var scriptWrites: [ScriptWrite] {
        events.compactMap {
            if case .script(let write) = $0 { return write }
            return nil
        }
    }
}
