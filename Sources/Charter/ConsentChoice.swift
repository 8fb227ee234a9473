/// What a visitor chooses on a site's consent banner: a variant's `banner.choice`, and what the audit
/// reads of the cookies stored after it.
public enum ConsentChoice: String, Sendable, Hashable, CaseIterable {
    case accept
    case refuse
}
