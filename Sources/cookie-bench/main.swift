import CookieModel
import Foundation

// Cookie model throughput: `swift run -c release cookie-bench [COUNT] [FILES...]`.
// Values cycle through the input lines. Two passes: parse only, then parse + store with a new jar every
// 40 values (one page's responses). Prints values per second on one core and the peak RSS.

let arguments = Array(CommandLine.arguments.dropFirst())
let count = arguments.first.flatMap { Int($0) } ?? 1_000_000
let files =
    arguments.count > 1
    ? Array(arguments.dropFirst()) : ["vectors/realworld.txt", "Benchmarks/extra-set-cookie.txt"]
var values: [String] = []
for file in files {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
        FileHandle.standardError.write(Data("cookie-bench: cannot read \(file)\n".utf8))
        exit(2)
    }
    values += text.split(separator: "\n").map(String.init)
}
guard let url = try? CookieURL(parsing: "https://www.example.com/account/") else { exit(3) }
let now = Date(timeIntervalSince1970: 1_780_000_000)
let perPage = 40

func measure(_ body: () -> Void) -> Double {
    let elapsed = ContinuousClock().measure(body)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func peakRSSMiB() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1) / 1024
}

var parsed = 0
let parseSeconds = measure {
    for i in 0..<count where (try? SetCookie(parsing: values[i % values.count])) != nil { parsed += 1 }
}

var stored = 0
var rejected = 0
let storeSeconds = measure {
    var jar = CookieJar()
    for i in 0..<count {
        if i % perPage == 0 { jar = CookieJar() }
        switch jar.receive(setCookie: values[i % values.count], from: url, at: now).decision {
        case .stored: stored += 1
        case .deleted: break
        case .rejected: rejected += 1
        }
    }
}

func rate(_ seconds: Double) -> String { "\(Int(Double(count) / seconds)) values/s" }
print("swift CookieModel: \(count) Set-Cookie values (\(values.count) distinct), one core:")
print("  parse only:      \(String(format: "%.3f", parseSeconds)) s = \(rate(parseSeconds)) (\(parsed) parsed)")
print(
    "  parse + store:   \(String(format: "%.3f", storeSeconds)) s = \(rate(storeSeconds)) "
        + "(stored \(stored), rejected \(rejected)); peak RSS \(peakRSSMiB()) MiB")
