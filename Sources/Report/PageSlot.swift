import Audit
import Foundation
import Watch

/// One page variant of one site while the history streams by: its latest cookie list and counts.
struct PageSlot: Sendable {
    /// Index of its site in the builder's sites.
    let site: Int
    let page: PageRef
    /// Site, URL and variant as UTF-8, each followed by 0xFF (never part of UTF-8): what the bytes of
    /// an `unchanged` line are matched against, without building strings.
    let key: [UInt8]
    /// False when `--site` names another site.
    let included: Bool
    /// The latest cookie list, including one written before the window.
    var latest: PageList?
    /// Scanned (successfully or not) in the window.
    var scanned = false
    var successfulScans = 0
    /// Its `unchanged` lines that had no list to refer to: warned about once.
    var missingList: MissingList?

    init(site: Int, siteName: String, page: PageRef, included: Bool) {
        self.site = site
        self.page = page
        self.included = included
        key = Array(siteName.utf8) + [0xFF] + Array(page.url.utf8) + [0xFF] + Array(page.variant.utf8) + [0xFF]
    }

    /// Whether the line's site, URL and variant bytes are this slot's.
    func matches(
        _ site: UnsafeBufferPointer<UInt8>, _ url: UnsafeBufferPointer<UInt8>, _ variant: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        key.withUnsafeBufferPointer { key in
            guard let base = key.baseAddress else { return false }
            var offset = 0
            func next(_ part: UnsafeBufferPointer<UInt8>) -> Bool {
                guard offset + part.count < key.count, key[offset + part.count] == 0xFF,
                    part.isEmpty || memcmp(base + offset, part.baseAddress ?? base, part.count) == 0
                else { return false }
                offset += part.count + 1
                return true
            }
            return next(site) && next(url) && next(variant) && offset == key.count
        }
    }

    /// The hash `matches` is looked up by: the same for a line's bytes and for the slot's `key`.
    static func keyHash(
        _ site: UnsafeBufferPointer<UInt8>, _ url: UnsafeBufferPointer<UInt8>, _ variant: UnsafeBufferPointer<UInt8>
    ) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(site))
        hasher.combine(UInt8(0xFF))
        hasher.combine(bytes: UnsafeRawBufferPointer(url))
        hasher.combine(UInt8(0xFF))
        hasher.combine(bytes: UnsafeRawBufferPointer(variant))
        return hasher.finalize()
    }
}

/// A page variant's latest cookie list and, once it has been credited in the window, the index of
/// each cookie's tally, so that the `unchanged` lines after it cost no lookup by identity.
struct PageList: Sendable {
    var digest: [UInt8]
    var cookies: [HistoryCookie]
    var tallies: [Int] = []
    var credited = false

    init(digest: String, cookies: [HistoryCookie]) {
        self.digest = Array(digest.utf8)
        self.cookies = cookies
    }

    /// Whether an `unchanged` line's digest is this list's.
    func hasDigest(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        digest.withUnsafeBufferPointer { own in
            guard own.count == bytes.count, let a = own.baseAddress, let b = bytes.baseAddress else {
                return own.count == bytes.count
            }
            return memcmp(a, b, own.count) == 0
        }
    }
}

/// The `unchanged` lines of a page variant with no cookie list before them: the first is a warning,
/// the others are counted into it.
struct MissingList: Sendable {
    /// Index of the warning in the builder's warnings.
    var warning: Int
    var more = 0
    var last: (file: String, line: Int)?

    init(warning: Int) { self.warning = warning }

    mutating func repeated(file: String, line: Int) {
        more += 1
        last = (file, line)
    }
}
