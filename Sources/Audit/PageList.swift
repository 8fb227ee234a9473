/// The pages of a finding or of a cookie row: sorted, each once.
///
/// Compact: every list of one audit result picks its pages from one shared table by a 4-byte index,
/// where an array of `PageRef` spent 32 bytes a page on each list. A cookie set on every page of a
/// 100,000-page site, with three findings on every page too, held 22 MB of page lists that way.
public struct PageList: RandomAccessCollection, Sendable, Hashable, ExpressibleByArrayLiteral {
    /// Shared by the lists of one audit result (copy-on-write: never copied while only read).
    private var table: [PageRef]
    private var picks: [Int32]

    /// The lists from `table` by index; `picks` must be valid indices of `table`.
    init(table: [PageRef], picks: [Int32]) {
        self.table = table
        self.picks = picks
    }

    /// `pages` as they are, in their order.
    public init(_ pages: [PageRef]) {
        table = pages
        picks = pages.indices.map { Int32($0) }
    }

    public init(arrayLiteral pages: PageRef...) { self.init(pages) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { picks.count }
    public subscript(position: Int) -> PageRef { table[Int(picks[position])] }

    public static func == (a: PageList, b: PageList) -> Bool { a.elementsEqual(b) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for page in self { hasher.combine(page) }
    }
}

extension PageList: CustomStringConvertible {
    public var description: String { Array(self).description }
}
