import Audit
import Charter
import Foundation

/// One scan pass over the configured sites: what each page showed and what the audit made of it.
struct ScanReport {
    struct SiteResult {
        var name: String
        var observations: [PageObservation]
        var audit: AuditResult
    }

    var scannedAt: Date
    var sites: [SiteResult]

    var findings: [Finding] { sites.flatMap(\.audit.findings) }

    /// Exit code for `--fail-on`: 1 when a finding is at or above `threshold`, else 0.
    func exitCode(failOn threshold: Severity?) -> Int32 {
        guard let threshold else { return 0 }
        return findings.contains { $0.severity >= threshold } ? 1 : 0
    }
}
