import ArgumentParser
import Audit
import Browser
import Charter
import Config
import Foundation
import Knowledge
import Scanning
import Transport

extension Severity: ExpressibleByArgument {}

/// `cookiewatch scan`: one pass over every page and variant; the exit code can gate a deploy.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan every configured page variant once and print the cookies and findings.",
        discussion: """
            Exit codes: 0 when every page variant was scanned and no finding is at or above --fail-on \
            (or none is given); 1 when a finding is, or when any page variant could not be scanned \
            ("scan incomplete", whatever --fail-on says, unless --allow-incomplete); 2 for a usage or \
            configuration error; 3 for an internal failure.
            """
    )

    @Option(name: .long, help: "The configuration file.")
    var config: String

    @Option(name: .long, help: "Scan only this site.")
    var site: String?

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    @Option(
        name: .customLong("fail-on"),
        help: "Exit 1 when a finding is at or above this severity (info, low, medium, high, critical).")
    var failOn: Severity?

    @Flag(
        name: .customLong("allow-incomplete"),
        help: "Judge only the pages that could be scanned: a failed page is then a scan-error finding, not exit 1.")
    var allowIncomplete = false

    func run() async throws {
        CookieKnowledge.preloadOpenCookieDatabase()
        let configuration = try loadConfiguration(config)
        let report = try await scanAndPrint(configuration, site: site, format: format)
        if let notice = report.incompleteNotice {
            let verdict =
                allowIncomplete
                ? "judged on the pages seen (--allow-incomplete)"
                : "exit 1 whatever --fail-on says; --allow-incomplete judges only the pages seen"
            FileHandle.standardError.write(Data("cookiewatch: \(notice): \(verdict)\n".utf8))
        }
        let code = report.exitCode(failOn: failOn, allowIncomplete: allowIncomplete)
        if code != 0 { throw ExitCode(code) }
    }
}

/// One scan pass printed on stdout: the text once the pass is done, or the JSON with its pages spooled
/// as they arrive. `observe` sees each observation too, with its target index.
func scanAndPrint(
    _ configuration: Configuration, site: String?, format: OutputFormat,
    observe: (Int, String, PageObservation) -> Void = { _, _, _ in }
) async throws -> ScanReport {
    guard format == .json else {
        let report = try await scan(configuration, site: site, observe: observe)
        print(report.text(colour: terminalWantsColour(STDOUT_FILENO)), terminator: "")
        return report
    }
    let stream: ScanJSONStream
    do { stream = try ScanJSONStream() } catch {
        throw CommandFailure.internalFailure("cannot spool the scan's pages: \(error)")
    }
    var spoolError: (any Error)?
    let report = try await scan(configuration, site: site) { index, site, observation in
        observe(index, site, observation)
        guard spoolError == nil else { return }
        do { try stream.add(index: index, site: site, observation: observation) } catch { spoolError = error }
    }
    do {
        if let spoolError { throw spoolError }
        try stream.finish(report, to: FileHandle.standardOutput)
    } catch {
        throw CommandFailure.internalFailure("cannot write the scan's JSON: \(error)")
    }
    return report
}

/// One scan pass through libcurl (and Chromium for browser variants), with a progress line on stderr
/// when it is a terminal.
func scan(
    _ configuration: Configuration, site: String?,
    observe: (Int, String, PageObservation) -> Void = { _, _, _ in }
) async throws -> ScanReport {
    let targets: ScanTargets
    do { targets = try ScanPlan.targets(configuration, site: site) } catch {
        throw CommandFailure.usage(error.description)
    }
    let fetcher: CurlFetcher
    do {
        fetcher = try CurlFetcher(
            concurrency: ConcurrencyLimits(
                maxTransfers: configuration.limits.concurrency,
                maxTransfersPerHost: configuration.limits.perHostConcurrency))
    } catch {
        throw CommandFailure.internalFailure("cannot start libcurl: \(error)")
    }
    defer { fetcher.shutdown() }
    let browser = try browserEngine(configuration)
    let showProgress = isatty(STDERR_FILENO) == 1 && targets.count > 1
    let engines = ScanEngines(http: fetcher, browser: browser)
    // Browser visits wait for the browser's own slots, libcurl's for its caps: the pass keeps enough
    // in flight for both (without browser variants, a visit ready for each fetch slot that frees).
    let report = await Scanner(
        engines: engines,
        concurrency: configuration.visitCaps.total + (browser == nil ? 0 : configuration.browser.concurrency)
    )
    .scan(
        targets, sites: configuration.sites, now: { Date() },
        progress: { done, total in
            if showProgress {
                FileHandle.standardError.write(Data("\r\u{1B}[2Kscanning \(done)/\(total) page variants".utf8))
            }
        }, observe: observe)
    if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    // The scan is one round: its signed-in sessions end now.
    for problem in await engines.logins.endRound() {
        FileHandle.standardError.write(Data("cookiewatch: warning: \(problem)\n".utf8))
    }
    await browser?.supervisor.shutdown()
    return report
}

/// The browser engine the configuration needs (nil when no variant uses it); no usable Chromium is a
/// configuration error (exit 2) that names the package.
func browserEngine(_ configuration: Configuration) throws -> BrowserEngine? {
    do {
        return try ScanEngines.browser(for: configuration)
    } catch {
        throw CommandFailure.usage("\(configuration.file): \(error.description)")
    }
}
