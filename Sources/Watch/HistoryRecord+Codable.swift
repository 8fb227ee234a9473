import Audit
import CookieModel
import Foundation

// The line is flat: `type` says which of `cookies`+`drift`, `digest` alone, or `failure` follow.
extension HistoryRecord: Codable {
    private enum CodingKeys: String, CodingKey {
        case formatVersion, prev, time, site, page, variant, type, digest, cookies, drift, baselineDrift, failure
    }

    private enum LineType: String, Codable {
        case cookies, unchanged, failure
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        prev = try c.decode(String.self, forKey: .prev)
        let text = try c.decode(String.self, forKey: .time)
        guard let seconds = CivilTimeText.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .time, in: c, debugDescription: "expected an RFC 3339 time, got \"\(text)\"")
        }
        time = Date(timeIntervalSince1970: TimeInterval(seconds))
        site = try c.decode(String.self, forKey: .site)
        page = PageRef(
            url: try c.decode(String.self, forKey: .page), variant: try c.decode(String.self, forKey: .variant))
        switch try c.decode(LineType.self, forKey: .type) {
        case .cookies:
            outcome = .cookies(
                digest: try c.decode(String.self, forKey: .digest),
                cookies: try c.decode([HistoryCookie].self, forKey: .cookies),
                drift: try c.decode([DriftEvent].self, forKey: .drift))
            baselineDrift = try c.decodeIfPresent([DriftEvent].self, forKey: .baselineDrift)
        case .unchanged: outcome = .unchanged(digest: try c.decode(String.self, forKey: .digest))
        case .failure: outcome = .failure(try c.decode(HistoryFailure.self, forKey: .failure))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formatVersion, forKey: .formatVersion)
        try c.encode(prev, forKey: .prev)
        try c.encode(CivilTimeText.rfc3339(time), forKey: .time)
        try c.encode(site, forKey: .site)
        try c.encode(page.url, forKey: .page)
        try c.encode(page.variant, forKey: .variant)
        switch outcome {
        case .cookies(let digest, let cookies, let drift):
            try c.encode(LineType.cookies, forKey: .type)
            try c.encode(digest, forKey: .digest)
            try c.encode(cookies, forKey: .cookies)
            try c.encode(drift, forKey: .drift)
            try c.encodeIfPresent(baselineDrift, forKey: .baselineDrift)
        case .unchanged(let digest):
            try c.encode(LineType.unchanged, forKey: .type)
            try c.encode(digest, forKey: .digest)
        case .failure(let failure):
            try c.encode(LineType.failure, forKey: .type)
            try c.encode(failure, forKey: .failure)
        }
    }
}
