import Foundation

/// The Chromium binary cookiewatch drives, found and checked once.
public struct ChromiumInstallation: Sendable, Hashable {
    /// Debian's `chromium-headless-shell` first: the same Chromium (version, network stack, cookie
    /// rules) without the desktop browser's windows and UI, which made each visit's fresh context and
    /// page cost twice the CPU (BENCHMARKS.md). Then Debian's `chromium`, whose real binary is here;
    /// `/usr/bin/chromium` is a shell wrapper that adds flags of its own.
    public static let candidates = [
        "/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium", "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
    ]
    /// `Storage.getCookies` by browser context, `cookiePartitionKey` objects and the pipe as used here.
    public static let minimumMajorVersion = 120
    public static let package = "chromium-headless-shell"

    public let binary: String
    /// `Chromium 156.0.8078.114`
    public let version: String
    public let majorVersion: Int

    /// The first candidate (or `binary`) that runs and is recent enough.
    public static func locate(_ binary: String? = nil) throws(BrowserError) -> ChromiumInstallation {
        let paths = binary.map { [$0] } ?? candidates
        guard let path = paths.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw .unavailable(
                "the browser engine needs Chromium, and none was found at \(paths.joined(separator: ", ")): "
                    + "install Debian's `\(package)` package (apt-get install \(package)), or `chromium`")
        }
        let version = try versionText(of: path)
        guard let major = majorVersion(in: version) else {
            throw .unavailable("\(path) --version printed \"\(version)\", which names no Chromium version")
        }
        guard major >= minimumMajorVersion else {
            throw .unavailable(
                "\(path) is \(version); the browser engine needs Chromium \(minimumMajorVersion) or later: "
                    + "upgrade Debian's `\(package)` (or `chromium`) package")
        }
        return ChromiumInstallation(binary: path, version: version, majorVersion: major)
    }

    static func majorVersion(in text: String) -> Int? {
        let words = text.split(separator: " ")
        guard let number = words.first(where: { $0.first?.isNumber == true }) else { return nil }
        return number.split(separator: ".").first.flatMap { Int($0) }
    }

    private static func versionText(of path: String) throws(BrowserError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--version"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .unavailable("cannot run \(path) --version: \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
