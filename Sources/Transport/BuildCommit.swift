internal import CCurl

/// What `cookiewatch --version` says it was built from. The commit comes in through the C shim (the
/// project's one C target), where the build defines it; "unknown" for a plain `swift build`.
public enum BuildInfo {
    public static let version = "0.5.0"
    public static let commit = String(cString: cw_build_commit())
    /// "0.5.0 (commit 1a2b3c4d5e6f)"
    public static var description: String { "\(version) (commit \(commit))" }
}
