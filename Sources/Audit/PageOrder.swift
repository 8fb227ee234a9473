/// Sorts the page lists of one audit result: by page (URL, then variant), each page once.
///
/// A list sorted by comparing its pages compares URLs: at 100,000 pages, five lists of every page took
/// a fifth of a scan's final second. Long lists are sorted here by each page's place among the
/// table's distinct pages, found once by one sort of the table, then by a bitmap over those places:
/// no comparison per list. Short lists, or a table no list is long in, keep the comparison sort.
struct PageOrder {
    let table: [PageRef]
    /// By table index: the page's place among the distinct pages (equal pages share one).
    private var place: [Int32] = []
    /// By place: one table index holding that page.
    private var entry: [Int32] = []

    init(_ table: [PageRef]) { self.table = table }

    /// The pages `picks` names, sorted, each once (two configured pages may share a URL and variant);
    /// `picks` is rewritten in that order.
    mutating func sortedUnique(_ picks: inout [Int32]) -> PageList {
        if picks.count < 1_024 || picks.count < table.count / 8 {
            Self.compareSorted(&picks, in: table)
        } else {
            if place.isEmpty { rank() }
            placeSorted(&picks)
        }
        return PageList(table: table, picks: picks)
    }

    private static func compareSorted(_ picks: inout [Int32], in table: [PageRef]) {
        picks.sort { table[Int($0)] < table[Int($1)] }
        var kept = 0
        for index in picks.indices where kept == 0 || table[Int(picks[index])] != table[Int(picks[kept - 1])] {
            if index != kept { picks.swapAt(index, kept) }
            kept += 1
        }
        picks.removeLast(picks.count - kept)
    }

    private mutating func rank() {
        var byPage = Array(0..<Int32(table.count))
        byPage.sort { table[Int($0)] < table[Int($1)] }
        place = Array(repeating: 0, count: table.count)
        entry.reserveCapacity(table.count)
        for index in byPage {
            if let last = entry.last, table[Int(last)] == table[Int(index)] {
                place[Int(index)] = Int32(entry.count - 1)
                continue
            }
            place[Int(index)] = Int32(entry.count)
            entry.append(index)
        }
    }

    private func placeSorted(_ picks: inout [Int32]) {
        var bits = [UInt64](repeating: 0, count: (entry.count + 63) / 64)
        for index in picks {
            let at = Int(place[Int(index)])
            bits[at >> 6] |= 1 << UInt64(at & 63)
        }
        picks.removeAll(keepingCapacity: true)
        for (word, value) in bits.enumerated() where value != 0 {
            var rest = value
            while rest != 0 {
                let bit = rest.trailingZeroBitCount
                picks.append(entry[word << 6 | bit])
                rest &= rest - 1
            }
        }
    }
}
