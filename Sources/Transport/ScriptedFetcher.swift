import CookieModel
import Foundation

/// An in-memory `PageFetcher` for tests of the code above Transport: answers from a table of
/// responses by URL, with the same redirect, cookie-jar and failure rules as `CurlFetcher`.
public struct ScriptedFetcher: PageFetcher {
    /// What the table answers for one URL.
    public enum Answer: Sendable {
        /// A response: status and headers in order (`Location` makes a 3xx redirect).
        case response(status: Int, headers: [HeaderField])
        /// A transfer failure with this code, as if libcurl had reported it.
        case failure(FetchFailure.Code)
    }

    private let answers: [String: Answer]
    private let now: @Sendable () -> Date

    /// `answers` is keyed by the exact URL requested; unknown URLs answer `dns`.
    public init(answers: [String: Answer], now: @escaping @Sendable () -> Date = { Date() }) {
        self.answers = answers
        self.now = now
    }

    public func visit(_ request: VisitRequest) async -> Exchange {
        await Visit.follow(request, now: now) { spec in
            var result = TransferResult()
            switch answers[spec.url] ?? .failure(.dns) {
            case .response(let status, let headers):
                result.status = status
                result.headers = headers
                result.httpVersion = "HTTP/1.1"
                result.headersComplete = true
                result.redirectURL = headers.first { $0.isNamed("location") }.flatMap {
                    Self.resolve($0.text, against: spec.url)
                }
            case .failure(let code):
                result.scriptedFailure = code
            }
            return result
        }
    }

    /// Resolves a Location value the simple way tests need: absolute, host-relative or path-relative.
    static func resolve(_ location: String, against base: String) -> String? {
        if location.contains("://") { return location }
        guard let schemeEnd = base.range(of: "://") else { return nil }
        let authorityEnd = base[schemeEnd.upperBound...].firstIndex(of: "/") ?? base.endIndex
        let origin = base[..<authorityEnd]
        if location.hasPrefix("/") { return origin + location }
        let path = base[authorityEnd...].prefix { $0 != "?" && $0 != "#" }
        let directory = path.lastIndex(of: "/").map { path[...$0] } ?? "/"
        return origin + directory + location
    }
}
