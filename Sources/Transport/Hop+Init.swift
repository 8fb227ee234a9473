import CookieModel
import Foundation

extension Hop {
    /// A hop as recorded elsewhere (tests, fakes, replayed history): only what the audit reads is required.
    public init(
        index: Int, url: String, status: Int, date: Date? = nil, headers: [HeaderField] = [],
        cookieOutcomes: [StorageOutcome] = []
    ) {
        self.index = index
        self.url = url
        self.cookieURL = nil
        self.status = status
        self.headers = headers
        self.date = date
        self.remoteAddress = nil
        self.remotePort = nil
        self.tlsVersion = nil
        self.httpVersion = nil
        self.timings = HopTimings()
        self.bodyBytes = 0
        self.sentCookieNames = []
        self.cookieOutcomes = cookieOutcomes
        self.redirectURL = nil
    }
}
