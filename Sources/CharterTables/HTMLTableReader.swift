import CLibXML2
import Charter
import HTMLParsing

/// Finds tables in an HTML page with libxml2's HTML parser (forgiving, as browsers are), with the
/// headings above each table and the caption giving its category.
enum HTMLTableReader {
    static func read(_ bytes: [UInt8]) -> SourceDocument {
        let read = HTMLParsing.withRoot(of: bytes) { root in
            var walker = Walker()
            walker.visitChildren(of: root)
            return walker.document
        }
        guard let read else {
            var document = SourceDocument()
            document.diagnostics.append(ImportDiagnostic(line: 1, reason: "not an HTML document libxml2 can read"))
            return document
        }
        return read
    }

    private struct Walker {
        var document = SourceDocument()
        var trail = HeadingTrail()

        mutating func visitChildren(of node: xmlNodePtr?) {
            guard let node else { return }
            visit(node)
        }

        /// Visits `node` and its following siblings in document order.
        mutating func visit(_ first: xmlNodePtr) {
            var current: xmlNodePtr? = first
            while let node = current {
                if node.pointee.type == XML_ELEMENT_NODE {
                    let name = elementName(node)
                    if name == "title", document.title == nil {
                        document.title = text(of: node, keepBreaks: false)
                    } else if name.count == 2, name.first == "h", let level = Int(name.dropFirst()),
                        (1...6).contains(level)
                    {
                        let heading = text(of: node, keepBreaks: false)
                        trail.enter(level: level, text: heading)
                    } else if name == "table" {
                        readTable(node)
                    } else if let child = node.pointee.children {
                        visit(child)
                    }
                }
                current = node.pointee.next
            }
        }

        mutating func readTable(_ table: xmlNodePtr) {
            var rows: [(line: Int, cells: [String])] = []
            var category = trail.category
            for child in children(of: table) where elementName(child) == "caption" {
                if let captioned = CookieCategory(heading: text(of: child, keepBreaks: false)) { category = captioned }
            }
            collectRows(in: table, into: &rows)
            guard let header = rows.first else { return }
            var source = SourceTable(category: category, headerLine: header.line, headers: header.cells)
            source.rows = Array(rows.dropFirst())
            document.tables.append(source)
        }

        /// Rows of this table (through thead, tbody, tfoot), not of tables nested in its cells.
        func collectRows(in node: xmlNodePtr, into rows: inout [(line: Int, cells: [String])]) {
            for child in children(of: node) {
                switch elementName(child) {
                case "tr":
                    let cells = children(of: child)
                        .filter { ["td", "th"].contains(elementName($0)) }
                        .map { text(of: $0, keepBreaks: true) }
                    rows.append((Int(xmlGetLineNo(child)), cells))
                case "thead", "tbody", "tfoot":
                    collectRows(in: child, into: &rows)
                default:
                    continue
                }
            }
        }

        func children(of node: xmlNodePtr) -> [xmlNodePtr] {
            var result: [xmlNodePtr] = []
            var current = node.pointee.children
            while let child = current {
                if child.pointee.type == XML_ELEMENT_NODE { result.append(child) }
                current = child.pointee.next
            }
            return result
        }

        func elementName(_ node: xmlNodePtr) -> String { HTMLParsing.name(of: node) }

        /// The text of an element; `<br>` and block ends become line breaks when `keepBreaks`, so a
        /// name cell listing cookies one per line splits like "a; b".
        func text(of node: xmlNodePtr, keepBreaks: Bool) -> String {
            var raw = ""
            appendText(of: node, to: &raw)
            let lines = raw.split(separator: "\n").map { line in
                line.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            }.filter { !$0.isEmpty }
            return lines.joined(separator: keepBreaks ? "\n" : " ")
        }

        private func appendText(of node: xmlNodePtr, to out: inout String) {
            var current = node.pointee.children
            while let child = current {
                switch child.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    // Line breaks in the source are layout; only <br> and block ends separate lines.
                    if let content = child.pointee.content {
                        out += String(cString: content).replacing("\n", with: " ")
                    }
                case XML_ELEMENT_NODE:
                    let name = elementName(child)
                    if name == "br" { out += "\n" }
                    appendText(of: child, to: &out)
                    if ["p", "div", "li"].contains(name) { out += "\n" }
                default:
                    break
                }
                current = child.pointee.next
            }
        }
    }
}
