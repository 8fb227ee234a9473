import CookieModel
import Foundation

/// The one place the Watch module turns times into text (via `CivilTime`), to the second, UTC.
enum CivilTimeText {
    static func rfc3339(_ seconds: Int64) -> String { CivilTime.rfc3339(seconds) }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    static func rfc3339(_ date: Date) -> String { rfc3339(seconds(date)) }

    /// `20261129T060200Z`: a time usable in a file name.
    static func compact(_ date: Date) -> String {
        String(rfc3339(date).filter { $0 != "-" && $0 != ":" })
    }
}

extension CivilTimeText {
    /// Seconds since 1970 of an RFC 3339 time, nil if it is not one.
    static func parse(_ text: String) -> Int64? { CivilTime.parseRFC3339(text) }
}
