/// When alerts fire, repeat and resolve.
public struct AlertPolicy: Sendable, Hashable {
    /// Consecutive passes a finding must hold before it fires, unless `firingAfterByKind` says.
    public var firingAfter: Int
    /// Per finding kind (`scan-error`: 3, so one failed fetch does not page anyone).
    public var firingAfterByKind: [String: Int]
    /// Consecutive passes a firing finding must be absent before it resolves.
    public var resolvedAfter: Int
    /// How often a still-firing alert is sent again.
    public var repeatInterval: Duration

    public init(
        firingAfter: Int = 1, firingAfterByKind: [String: Int] = ["scan-error": 3], resolvedAfter: Int = 1,
        repeatInterval: Duration = .seconds(86_400)
    ) {
        self.firingAfter = firingAfter
        self.firingAfterByKind = firingAfterByKind
        self.resolvedAfter = resolvedAfter
        self.repeatInterval = repeatInterval
    }

    func firingAfter(kind: String) -> Int { max(1, firingAfterByKind[kind] ?? firingAfter) }
}
