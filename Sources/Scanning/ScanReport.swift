import Audit
import Charter
import Foundation

/// One scan pass over the configured sites: what each page showed and what the audit made of it.
public struct ScanReport: Sendable {
    /// A page variant whose visit failed.
    public struct FailedPage: Sendable, Hashable {
        public var page: PageRef
        public var failure: ObservedFailure
    }

    /// What one site's pages showed. The observations themselves are not kept: they went to the
    /// scanner's `observe` as they arrived.
    public struct SiteResult: Sendable {
        public var name: String
        /// Page variants scanned, failed or not.
        public var pageCount: Int
        /// Those that failed, in configuration order.
        public var failures: [FailedPage]
        public var audit: AuditResult
        /// `Set-Cookie` lines and stored cookies where Chromium and cookiewatch's model disagreed
        /// (browser engine only).
        public var disagreements = 0
    }

    public var scannedAt: Date
    public var sites: [SiteResult]

    public var findings: [Finding] { sites.flatMap(\.audit.findings) }

    /// The page variants whose visit failed: the pass did not see what they set.
    public var failedPages: [FailedPage] { sites.flatMap(\.failures) }

    /// The page variants scanned, failed or not.
    public var pageCount: Int { sites.reduce(0) { $0 + $1.pageCount } }

    /// Every page variant was seen.
    public var isComplete: Bool { failedPages.isEmpty }

    /// The highest severity found, including findings a page's cap left out.
    public var highestSeverity: Severity? {
        (findings.map(\.severity) + sites.flatMap { $0.audit.omitted.compactMap(\.highestSeverity) }).max()
    }

    /// The gate's verdict. A pass that could not see a page variant exits 1 whatever `threshold` says:
    /// a gate that passes blind is worse than none. `allowIncomplete` judges only what was seen (failed
    /// pages still count as `scan-error` findings at their severity). Otherwise 1 when a finding (or
    /// one a page's cap left out) is at or above `threshold`, else 0.
    public func exitCode(failOn threshold: Severity?, allowIncomplete: Bool = false) -> Int32 {
        if !isComplete && !allowIncomplete { return 1 }
        guard let threshold, let highest = highestSeverity else { return 0 }
        return highest >= threshold ? 1 : 0
    }

    /// Why the pass is incomplete, in one line for stderr; nil when it is complete.
    public var incompleteNotice: String? {
        let failed = failedPages
        guard !failed.isEmpty else { return nil }
        var codes: [String] = []
        for code in failed.map(\.failure.code) where !codes.contains(code) { codes.append(code) }
        return "scan incomplete: \(failed.count) of \(pageCount) page variant\(pageCount == 1 ? "" : "s") "
            + "could not be scanned (\(codes.joined(separator: ", ")))"
    }
}
