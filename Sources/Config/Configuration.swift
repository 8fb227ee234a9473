import StrictJSON

import Foundation
import NetworkAddress

/// A loaded, checked configuration: every charter it names is read and valid.
public struct Configuration: Sendable {
    /// The config file as given.
    public var file: String
    public var sites: [Site]
    public var limits: Limits
    public var alerts: AlertSinks
    public var directories: Directories
    /// Private or local networks that may be scanned; none by default, so a hostile redirect cannot
    /// point the daemon at internal services.
    public var allowedPrivateNetworks: [IPNetwork]
    /// History day files older than this are removed by the daemon; default 400 days, so a year of
    /// drift can always be reported on.
    public var historyRetention: Duration
    /// Host names mapped to addresses for both engines (curl's `--resolve`); the address policy still applies.
    public var resolve: [String: String] = [:]
    /// How the browser engine's Chromium runs.
    public var browser = BrowserSettings()
    /// Where the daemon serves Prometheus metrics; nil: not served.
    public var metrics: MetricsSettings?

    /// Whether any page variant is observed with the browser engine.
    public var usesBrowser: Bool {
        sites.contains { site in
            site.pages.contains { page in page.variants.contains { ($0.engine ?? site.engine) == .browser } }
        }
    }

    /// How many visits `scan` and the daemon keep started at once. Twice the fetch caps, so that a fetch
    /// slot that frees is taken at once by a visit waiting in the fetcher's queue (its timeouts not yet
    /// running), instead of staying idle while the finished visit is recorded and the next one started
    /// (`curl --parallel` does the same with its list of URLs). Sites still see at most
    /// `limits.concurrency` fetches, `limits.perHostConcurrency` to one host: libcurl's queue holds
    /// those caps. With browser variants the configured caps stand as they are: Chromium's page loads do
    /// not go through that queue, and each is a browser context of tens of MiB. Computed from every page
    /// variant: read it once per configuration.
    public var visitCaps: VisitCaps {
        guard !usesBrowser else {
            return VisitCaps(total: limits.concurrency, perHost: limits.perHostConcurrency)
        }
        return VisitCaps(
            total: VisitCaps.lookahead * limits.concurrency, perHost: VisitCaps.lookahead * limits.perHostConcurrency)
    }

    public static let defaultHistoryRetention: Duration = .seconds(400 * 86_400)

    /// Loads `path` and the charters it names from the local file system, with defaults from the
    /// process environment (`STATE_DIRECTORY`, `LOGS_DIRECTORY`).
    public static func load(path: String) throws(ValidationErrors) -> Configuration {
        try ConfigurationLoader(files: LocalFileSource(), environment: ProcessInfo.processInfo.environment).load(
            path: path)
    }

    /// "1 site, 2 pages, 4 variants, 5 charter entries": what check-config prints.
    public var summary: String {
        let pages = sites.reduce(0) { $0 + $1.pages.count }
        let variants = sites.reduce(0) { $0 + $1.pages.reduce(0) { $0 + $1.variants.count } }
        var seen = Set<String>()
        var entries = 0
        for site in sites {
            for (file, charter) in zip(site.charterFiles, site.charters.charters) where seen.insert(file).inserted {
                entries += charter.entries.count
            }
        }
        func count(_ number: Int, _ noun: String, _ plural: String) -> String {
            "\(number) \(number == 1 ? noun : plural)"
        }
        return [
            count(sites.count, "site", "sites"), count(pages, "page", "pages"), count(variants, "variant", "variants"),
            count(entries, "charter entry", "charter entries"),
        ].joined(separator: ", ")
    }
}
