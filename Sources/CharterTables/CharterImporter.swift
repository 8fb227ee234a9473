import Charter

/// Turns a published charter (text with tab-separated or Markdown tables, or an HTML page) into
/// registry entries, reporting every row it cannot interpret.
public enum CharterImporter {
    /// How the source is written.
    public enum Format: String, Sendable, CaseIterable {
        /// Plain text or Markdown: headings with `#`, tab-separated rows or pipe tables.
        case text
        case html

        /// HTML for `.html`/`.htm` files or text starting with `<`; text otherwise.
        public static func detect(fileName: String, bytes: [UInt8]) -> Format {
            let lower = fileName.lowercased()
            if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return .html }
            let firstVisible = bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
            return firstVisible == UInt8(ascii: "<") ? .html : .text
        }
    }

    /// Reads `bytes` (UTF-8) as `format`. `name` overrides the document's own title as charter name.
    public static func importCharter(
        _ bytes: [UInt8], format: Format, name: String? = nil, source: String? = nil
    ) -> CharterImport {
        let document: SourceDocument
        switch format {
        case .text: document = TextTableReader.read(String(decoding: bytes, as: UTF8.self))
        case .html: document = HTMLTableReader.read(bytes)
        }
        var interpreter = Interpreter()
        interpreter.diagnostics = document.diagnostics
        for table in document.tables { interpreter.interpret(table) }
        if document.tables.isEmpty {
            interpreter.diagnostics.append(
                ImportDiagnostic(
                    line: 1,
                    reason: "no table with a cookie name column (e.g. \"Cookie name\", \"Nom du cookie\") found"))
        }
        return CharterImport(
            name: name ?? document.title ?? "Imported charter", source: source, entries: interpreter.entries,
            diagnostics: interpreter.diagnostics.sorted { $0.line < $1.line })
    }

    private struct Interpreter {
        var entries: [ImportedEntry] = []
        var diagnostics: [ImportDiagnostic] = []
        var firstLine: [String: Int] = [:]

        mutating func interpret(_ table: SourceTable) {
            for (index, column) in table.columns.enumerated() where column == nil {
                report(
                    table.headerLine, "column \(index + 1) of the table header is not recognised; its cells are ignored"
                )
            }
            guard let nameColumn = table.columns.firstIndex(of: .name) else {
                report(table.headerLine, "the table header has no cookie name column; its rows are skipped")
                for row in table.rows { report(row.line, "row of a table without a cookie name column; skipped") }
                return
            }
            for row in table.rows { interpret(row.cells, line: row.line, table: table, nameColumn: nameColumn) }
        }

        mutating func interpret(_ cells: [String], line: Int, table: SourceTable, nameColumn: Int) {
            if cells.count > table.columns.count, !cells[table.columns.count...].allSatisfy(\.isEmpty) {
                report(line, "row has \(cells.count) cells but the header has \(table.columns.count); skipped")
                return
            }
            func cell(_ column: TableColumn) -> String? {
                guard let index = table.columns.firstIndex(of: column), index < cells.count else { return nil }
                let text = cells[index].split(separator: "\n").joined(separator: " ").trimmingSpaces
                return text.isEmpty ? nil : text
            }
            guard nameColumn < cells.count, !cells[nameColumn].trimmingSpaces.isEmpty else {
                report(line, "row has no cookie name; skipped")
                return
            }
            var category = table.category
            if let text = cell(.category) {
                category = CookieCategory(heading: text)
                if category == nil {
                    report(line, "category \"\(text)\" is not one of necessary, preferences, statistics, marketing")
                }
            } else if category == nil {
                report(
                    line,
                    "no category: no heading above the table or Category cell names one; entry written without one")
            }
            var observable = Observability.header
            if let text = cell(.observable) {
                if let read = Observability(label: text) {
                    observable = read
                } else {
                    report(
                        line,
                        "\"\(text)\" does not say how the cookie is set (response header, after login, script, after consent)"
                    )
                }
            }
            var domain: String?
            if let text = cell(.domain) {
                domain = CharterEntry.domain(parsing: text)
                if domain == nil { report(line, "domain \"\(text)\" is not a host name; left out") }
            }
            let duration = cell(.duration)
            if let duration, DeclaredDuration(parsing: duration) == nil {
                report(line, "duration \"\(duration)\" is not understood; kept as written, to be fixed before use")
            }
            for result in CookieNameCell.names(in: cells[nameColumn]) {
                switch result {
                case .failure(let problem):
                    report(line, problem.description)
                case .success(let name):
                    if let first = firstLine[name] {
                        report(line, "cookie \"\(name)\" is already declared on line \(first); skipped")
                        continue
                    }
                    firstLine[name] = line
                    entries.append(
                        ImportedEntry(
                            name: name, provider: cell(.provider), service: cell(.service), purpose: cell(.purpose),
                            category: category, duration: duration, observable: observable, domain: domain,
                            line: line))
                }
            }
        }

        mutating func report(_ line: Int, _ reason: String) {
            diagnostics.append(ImportDiagnostic(line: line, reason: reason))
        }
    }
}
