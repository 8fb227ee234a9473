/// Finds tables in plain text: the seed's tab-separated rows under Markdown headings, and Markdown
/// pipe tables. Lines that look like rows but cannot be placed are reported; prose is skipped.
enum TextTableReader {
    static func read(_ text: String) -> SourceDocument {
        var reader = State()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { raw in
            raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
        }
        for (index, line) in lines.enumerated() {
            // GitHub tables may leave out the outer pipes ("Cookie name | Duration"); such a header is
            // known by the | --- | line under it.
            let opensBareTable =
                index + 1 < lines.count && line.contains("|")
                && State.pipeCells(lines[index + 1].trimmingSpaces).allSatisfy(State.isSeparatorCell)
            reader.consume(line, number: index + 1, opensBareTable: opensBareTable)
        }
        reader.closeTable()
        return reader.document
    }

    private enum TableKind { case tabs, pipes }

    private struct State {
        var document = SourceDocument()
        var trail = HeadingTrail()
        var table: SourceTable?
        var kind: TableKind?
        /// A pipe table's header must be followed by its `| --- |` line.
        var awaitingSeparator = false

        mutating func consume(_ line: String, number: Int, opensBareTable: Bool) {
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty {
                // A blank line ends a Markdown table; the seed's tab-separated table goes on past one.
                if kind == .pipes { closeTable() }
                return
            }
            if let (level, heading) = Self.heading(trimmed) {
                closeTable()
                if document.title == nil { document.title = heading }
                trail.enter(level: level, text: heading)
                return
            }
            if trimmed.hasPrefix("|") || opensBareTable || (kind == .pipes && trimmed.contains("|")) {
                pipeRow(Self.pipeCells(trimmed), number: number)
            } else if line.contains("\t") {
                tabRow(
                    line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmingSpaces },
                    number: number)
            } else if kind == .pipes {
                closeTable()
            } else if kind == .tabs {
                document.diagnostics.append(
                    ImportDiagnostic(
                        line: number, reason: "not a table row (no tab-separated cells) inside a table; skipped"))
            }
        }

        mutating func pipeRow(_ cells: [String], number: Int) {
            if kind != .pipes {
                closeTable()
                open(.pipes, cells, number: number)
                awaitingSeparator = true
                return
            }
            // A | --- | line is layout wherever it appears, never a row naming a cookie "---".
            if cells.allSatisfy(Self.isSeparatorCell) {
                awaitingSeparator = false
                return
            }
            if awaitingSeparator {
                awaitingSeparator = false
                document.diagnostics.append(
                    ImportDiagnostic(
                        line: number, reason: "expected the | --- | line under the table header; read as a row"))
            }
            table?.rows.append((number, cells))
        }

        mutating func tabRow(_ cells: [String], number: Int) {
            // Outside a table any row naming a cookie-name column is a header; inside one, only a row
            // made entirely of header words starts a new table, so data rows are never mistaken for one.
            let opensTable = SourceTable.isHeader(cells, strict: kind == .tabs)
            if opensTable {
                closeTable()
                open(.tabs, cells, number: number)
            } else if kind == .tabs {
                table?.rows.append((number, cells))
            } else {
                document.diagnostics.append(
                    ImportDiagnostic(
                        line: number,
                        reason: "tab-separated row without a header row naming a cookie name column above it; skipped"))
            }
        }

        mutating func open(_ newKind: TableKind, _ headers: [String], number: Int) {
            kind = newKind
            table = SourceTable(category: trail.category, headerLine: number, headers: headers)
        }

        mutating func closeTable() {
            if let table { document.tables.append(table) }
            table = nil
            kind = nil
            awaitingSeparator = false
        }

        static func heading(_ line: String) -> (Int, String)? {
            let hashes = line.prefix { $0 == "#" }.count
            guard (1...6).contains(hashes) else { return nil }
            let rest = line.dropFirst(hashes)
            guard rest.first == " " else { return nil }
            let text = String(rest).trimmingSpaces
            return (hashes, String(text.reversed().drop { $0 == "#" || $0 == " " }.reversed()))
        }

        /// Cells of `| a | b |`, honouring `\|` inside a cell.
        static func pipeCells(_ line: String) -> [String] {
            var cells: [String] = []
            var current = ""
            var escaped = false
            for character in line {
                if escaped {
                    current.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "|" {
                    cells.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            }
            if escaped { current.append("\\") }
            cells.append(current)
            // The leading "|" gives an empty first cell; a trailing "|" an empty last one.
            if line.hasPrefix("|"), cells.first?.trimmingSpaces.isEmpty == true { cells.removeFirst() }
            if line.hasSuffix("|") && !line.hasSuffix("\\|"), cells.last?.trimmingSpaces.isEmpty == true {
                cells.removeLast()
            }
            return cells.map(\.trimmingSpaces)
        }

        static func isSeparatorCell(_ cell: String) -> Bool {
            !cell.isEmpty && cell.contains("-") && cell.allSatisfy { $0 == "-" || $0 == ":" }
        }
    }
}
