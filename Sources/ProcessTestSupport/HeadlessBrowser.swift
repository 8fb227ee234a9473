import Foundation

/// Headless Chromium for tests that check HTML as a browser renders it.
public struct HeadlessBrowser: Sendable {
    public static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    /// What to install when no browser is found: tests record it as a failure, never pass silently.
    public static let missing =
        "no headless browser found (\(candidates.joined(separator: ", "))): install Debian's `chromium` package "
        + "(apt-get install chromium; scripts/test installs it)"

    /// The first installed candidate, nil when there is none.
    public static var installed: HeadlessBrowser? {
        candidates.first(where: FileManager.default.isExecutableFile(atPath:)).map {
            HeadlessBrowser(binary: URL(fileURLWithPath: $0))
        }
    }

    public let binary: URL

    /// The DOM of `page` after loading, on stdout.
    public func dumpDOM(_ page: URL, profile: String) async throws -> ChildProcess.Result {
        try await ChildProcess.run(flags(profile) + ["--dump-dom", page.absoluteString], binary: binary)
    }

    /// A PNG of `page` in a window of `width`×`height`.
    public func screenshot(_ page: URL, to png: URL, width: Int, height: Int, profile: String) async throws
        -> ChildProcess.Result
    {
        try await ChildProcess.run(
            flags(profile) + ["--screenshot=\(png.path)", "--window-size=\(width),\(height)", page.absoluteString],
            binary: binary)
    }

    private func flags(_ profile: String) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)"]
    }
}
