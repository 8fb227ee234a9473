import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The benchmark site, served by this executable in a child process so its memory is not counted.
struct SiteProcess {
    let process: Process
    let input: Pipe
    let port: Int

    init(pages: Int, cookiesPerPage: Int) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: process.executableURL?.path ?? "") {
            process.executableURL = Bundle.main.executableURL
        }
        process.arguments = ["--serve-pages", "\(pages)", "--cookies-per-page", "\(cookiesPerPage)"]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SiteProcessError(description: "the site process did not print its port (got \"\(line)\")")
        }
        self.port = port
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

struct SiteProcessError: Error, CustomStringConvertible {
    let description: String
}
