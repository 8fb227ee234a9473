import Charter
import StrictJSON

/// One entry as read from a published table: what the table said, which may be incomplete
/// (no category, a duration to fix); the registry JSON written from it is checked when loaded.
public struct ImportedEntry: Sendable, Hashable {
    /// The cookie name or pattern, already checked as a `NamePattern`.
    public var name: String
    public var provider: String?
    public var service: String?
    public var purpose: String?
    public var category: CookieCategory?
    /// The duration as published (possibly unreadable: reported, kept for the user to fix).
    public var duration: String?
    public var observable: Observability
    /// The host or domain the table gives, normalised as the registry stores it.
    public var domain: String?
    /// The source line of the row.
    public var line: Int

    /// The registry form; keys the table did not give are left out.
    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name))]
        if let provider { members.append(("provider", .string(provider))) }
        if let service { members.append(("service", .string(service))) }
        if let purpose { members.append(("purpose", .string(purpose))) }
        if let category { members.append(("category", .string(category.rawValue))) }
        if let duration { members.append(("duration", .string(duration))) }
        if observable != .header { members.append(("observable", .string(observable.rawValue))) }
        if let domain { members.append(("domain", .string(domain))) }
        return .object(members)
    }
}
