import Charter

/// Prints a registry as a publishable table per category, in Markdown or HTML. The headers are ones
/// the importer recognises, so an exported table imports back to the same entries.
public enum CharterExporter {
    /// The formats `charter export` writes.
    public enum Format: String, Sendable, CaseIterable {
        case md
        case html
    }

    static let headers = ["Cookie name", "Provider", "Service", "Purpose", "Duration", "Set by", "Domain"]

    /// The whole document in `format`.
    public static func export(_ charter: Charter, format: Format) -> String {
        switch format {
        case .md: return markdown(charter)
        case .html: return html(charter)
        }
    }

    private static func groups(_ charter: Charter) -> [(CookieCategory, [CharterEntry])] {
        CookieCategory.allCases.compactMap { category in
            let entries = charter.entries.filter { $0.category == category }
            return entries.isEmpty ? nil : (category, entries)
        }
    }

    private static func cells(_ entry: CharterEntry) -> [String] {
        [
            entry.name.text, entry.provider ?? "", entry.service ?? "",
            (entry.purpose ?? "") + (entry.consentExempt ? " (exempt from consent: audience measurement)" : ""),
            entry.duration?.text ?? "",
            entry.observable.label, entry.domain ?? "",
        ]
    }

    private static func title(_ category: CookieCategory) -> String {
        switch category {
        case .necessary: return "Necessary"
        case .preferences: return "Preferences"
        case .statistics: return "Statistics"
        case .marketing: return "Marketing"
        }
    }

    private static func markdown(_ charter: Charter) -> String {
        var lines = ["# \(charter.name)"]
        if let source = charter.source { lines += ["", "Source: \(source)"] }
        for (category, entries) in groups(charter) {
            lines += ["", "## \(title(category))", ""]
            lines.append("| " + headers.joined(separator: " | ") + " |")
            lines.append("|" + headers.map { _ in " --- |" }.joined())
            for entry in entries {
                var row = cells(entry).map(markdownCell)
                row[0] = "`\(row[0])`"
                lines.append("| " + row.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func markdownCell(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("|", with: "\\|").replacing("\n", with: " ")
    }

    private static func html(_ charter: Charter) -> String {
        var lines = [
            "<!DOCTYPE html>", "<html>", "<head>", "<meta charset=\"utf-8\">", "<title>\(escape(charter.name))</title>",
            "</head>", "<body>", "<h1>\(escape(charter.name))</h1>",
        ]
        if let source = charter.source {
            lines.append("<p>Source: <a href=\"\(escape(source))\">\(escape(source))</a></p>")
        }
        for (category, entries) in groups(charter) {
            lines.append("<h2>\(title(category))</h2>")
            lines.append("<table>")
            lines.append("<thead><tr>" + headers.map { "<th>\($0)</th>" }.joined() + "</tr></thead>")
            lines.append("<tbody>")
            for entry in entries {
                var row = cells(entry).map(escape)
                row[0] = "<code>\(row[0])</code>"
                lines.append("<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>")
            }
            lines += ["</tbody>", "</table>"]
        }
        lines += ["</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
            .replacing("\"", with: "&quot;")
    }
}
