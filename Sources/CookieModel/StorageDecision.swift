/// What a browser did with one `Set-Cookie` header.
public enum StorageDecision: Sendable, Hashable {
    /// Stored, possibly replacing a cookie with the same name, domain, host-only flag and path.
    case stored(StoredCookie, replaced: Bool)
    /// Already expired on arrival (Max-Age<=0 or a past Expires): deletes the matching cookie, if any.
    case deleted(StoredCookie.Key, existed: Bool)
    /// Dropped, with the reason.
    case rejected(CookieRejection)
}

/// One received header: what it parsed to (absent when the header itself was dropped) and the decision.
public struct StorageOutcome: Sendable, Hashable {
    public let setCookie: SetCookie?
    public let decision: StorageDecision

    public var rejection: CookieRejection? {
        if case .rejected(let rejection) = decision { return rejection }
        return nil
    }
}
