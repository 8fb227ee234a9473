import Audit
import Charter
import Foundation

/// One scan pass over the configured sites: what each page showed and what the audit made of it.
public struct ScanReport: Sendable {
    public struct SiteResult: Sendable {
        public var name: String
        public var observations: [PageObservation]
        public var audit: AuditResult
    }

    public var scannedAt: Date
    public var sites: [SiteResult]

    public var findings: [Finding] { sites.flatMap(\.audit.findings) }

    /// Exit code for `--fail-on`: 1 when a finding is at or above `threshold`, else 0.
    public func exitCode(failOn threshold: Severity?) -> Int32 {
        guard let threshold else { return 0 }
        return findings.contains { $0.severity >= threshold } ? 1 : 0
    }
}
