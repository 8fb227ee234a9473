import Charter

extension AlertPolicy {
    /// The alert policy a site's audit policy and the alerts' repeat interval give: `scan-error` fires
    /// after `scanErrorAfterFailures` passes, `declared-not-seen` after `declaredNotSeenAfterScans`.
    public init(_ policy: Policy, repeatInterval: Duration) {
        self.init(
            firingAfter: 1,
            firingAfterByKind: [
                FindingKind.scanError.rawValue: policy.scanErrorAfterFailures,
                FindingKind.declaredNotSeen.rawValue: policy.declaredNotSeenAfterScans,
            ],
            resolvedAfter: 1, repeatInterval: repeatInterval)
    }
}
