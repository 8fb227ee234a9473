import Charter

/// A table found in a published charter, before interpretation: header, rows and their lines.
struct SourceTable: Sendable {
    /// The category the headings above the table (or its caption) give, if any.
    var category: CookieCategory?
    var headerLine: Int
    /// What each column holds; nil for columns the importer does not recognise.
    var columns: [TableColumn?]
    var rows: [(line: Int, cells: [String])] = []

    init(category: CookieCategory?, headerLine: Int, headers: [String]) {
        self.category = category
        self.headerLine = headerLine
        self.columns = headers.map(TableColumn.init(header:))
    }

    /// Whether `cells` read as a header row: a cookie name column, no column kind twice (a data row
    /// such as "Cookie choices | cookies_preferences | ... cookies" names "cookie" in every cell), and,
    /// when `strict`, no unrecognised non-empty cell.
    static func isHeader(_ cells: [String], strict: Bool) -> Bool {
        let columns = cells.map(TableColumn.init(header:))
        let recognised = columns.compactMap { $0 }
        guard recognised.contains(.name), Set(recognised).count == recognised.count else { return false }
        return !strict || zip(cells, columns).allSatisfy { $0.1 != nil || $0.0.trimmingSpaces.isEmpty }
    }
}

/// The tables of a document, its title, and what could not be read while finding them.
struct SourceDocument: Sendable {
    var title: String?
    var tables: [SourceTable] = []
    var diagnostics: [ImportDiagnostic] = []
}

/// The category in force at a point of a document: the nearest enclosing heading that names one.
struct HeadingTrail: Sendable {
    private var levels: [(level: Int, category: CookieCategory?)] = []

    /// Enters a heading of `level` (1 for the top) with `text`.
    mutating func enter(level: Int, text: String) {
        while let last = levels.last, last.level >= level { levels.removeLast() }
        levels.append((level, CookieCategory(heading: text)))
    }

    var category: CookieCategory? { levels.last { $0.category != nil }?.category }
}
