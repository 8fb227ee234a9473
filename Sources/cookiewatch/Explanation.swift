import CookieModel
import Foundation

/// What `explain` found: each input line's outcome, the jar after all of them, the Cookie header.
struct Explanation {
    struct Line {
        let number: Int
        let outcome: StorageOutcome
    }

    let url: CookieURL
    let now: Date
    var lines: [Line] = []
    var cookies: [StoredCookie] = []
    var request: CookieURL?
    var cookieHeader: String?

    static func explain(input: Data, from url: CookieURL, at now: Date, request: CookieURL?) -> Explanation {
        var result = Explanation(url: url, now: now, request: request)
        var jar = CookieJar()
        var number = 0
        for var line in input.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            if line.last == 0x0D { line = line.dropLast() }  // CRLF files
            if line.count >= 11, line.prefix(11).map({ $0 | 0x20 }).elementsEqual("set-cookie:".utf8) {
                line = line.dropFirst(11)
            }
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
            result.lines.append(Line(number: number, outcome: jar.receive(setCookieBytes: line, from: url, at: now)))
        }
        result.cookies = jar.allCookies(at: now)
        if let request { result.cookieHeader = jar.cookieHeader(for: request, at: now) }
        return result
    }
}
