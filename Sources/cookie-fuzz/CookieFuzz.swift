import CookieModel
import Foundation

// libFuzzer target for the Set-Cookie parser, the cookie-date parser, URL parsing and the storage model.
// `scripts/fuzz` builds it with -sanitize=fuzzer,address; a plain build replays files given as arguments,
// which is how crashes found by the fuzzer become regression runs.

private let origins: [CookieURL] = [
    "https://www.example.com/a/b", "http://www.example.com/", "https://github.io/", "http://127.0.0.1:8080/x",
    "https://sub.www.example.co.uk/", "http://[::1]/", "https://localhost/p/",
].compactMap { try? CookieURL(parsing: $0) }

private let clock = Date(timeIntervalSince1970: 1_780_000_000)

/// One fuzz input: line 1's first byte picks the origin; every line is a Set-Cookie value.
func fuzz(_ data: UnsafeBufferPointer<UInt8>) {
    _ = CookieDate.parse(data)
    _ = try? CookieURL(parsing: String(decoding: data, as: UTF8.self))
    guard let first = data.first else { return }
    let origin = origins[Int(first) % origins.count]
    var jar = CookieJar()
    for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
        let outcome = jar.receive(setCookieBytes: line, from: origin, at: clock)
        if case .stored(let cookie, _) = outcome.decision {
            // Invariants of the storage model: what is stored could legally be set from this origin.
            precondition(cookie.name.utf8.count + cookie.value.utf8.count <= SetCookie.maxNameValueBytes)
            precondition(
                CookieMatching.domainMatches(host: origin.host, isIPAddress: origin.isIPAddress, domain: cookie.domain))
            precondition(!cookie.secure || origin.isSecure)
            precondition(cookie.path.utf8.first == 0x2F)
            precondition(
                cookie.expires.map { $0 > clock && $0.timeIntervalSince(clock) <= Double(CookieJar.lifetimeCap) }
                    ?? true)
            precondition(!(cookie.name.isEmpty && cookie.value.isEmpty))
            precondition(cookie.sameSite != .none || cookie.secure)
        }
        _ = outcome.rejection?.message
    }
    for url in origins {
        let sent = jar.cookies(for: url, at: clock)
        precondition(sent.allSatisfy { !$0.secure || url.isSecure })
        _ = jar.cookieHeader(for: url, at: clock)
    }
    precondition(jar.allCookies(at: clock).count <= CookieJar.maxCookies)
}

#if FUZZING
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        fuzz(UnsafeBufferPointer(start: data, count: size))
        return 0
    }

    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// SwiftPM links an executable's entry point under this name; libFuzzer's driver runs from it.
    @_cdecl("cookie_fuzz_main")
    func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput)
    }
#else
    @main
    enum Replay {
        static func main() throws {
            for path in CommandLine.arguments.dropFirst() {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                data.withUnsafeBytes { fuzz($0.bindMemory(to: UInt8.self)) }
                print("replayed \(path): ok")
            }
        }
    }
#endif
