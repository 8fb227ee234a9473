import ArgumentParser
import Charter
import CharterTables
import Config
import Foundation
import StrictJSON

/// `cookiewatch charter`: turn a published charter into registry JSON, and back into a table.
struct CharterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charter",
        abstract: "Import a published cookie charter, export a registry as a table, or propose its next version.",
        subcommands: [ImportCharterCommand.self, ExportCharterCommand.self, ProposeCharterCommand.self]
    )
}

/// `cookiewatch charter import FILE`: a published charter to registry JSON on stdout.
struct ImportCharterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read a published charter (text or Markdown tables, or HTML) and print registry JSON.",
        discussion: """
            Columns are recognised by their header text (English or French), categories by the section \
            headings above each table or a Category column. Every line or row that cannot be used is \
            reported on stderr as FILE:LINE: reason. Exits 2 when no entry could be read.
            """
    )

    /// How the file is written; `auto` decides from the extension and the first character.
    enum SourceFormat: String, ExpressibleByArgument, CaseIterable {
        case auto
        case text
        case html
    }

    @Argument(help: "The published charter.")
    var file: String

    @Option(name: .long, help: "auto, text (tab-separated or Markdown tables) or html.")
    var format: SourceFormat = .auto

    @Option(name: .long, help: "The charter's name (default: the document's first heading or title).")
    var name: String?

    @Option(name: .long, help: "Where the charter is published, recorded as \"source\".")
    var source: String?

    func run() async throws {
        let bytes = try readFile(file)
        let chosen: CharterImporter.Format
        switch format {
        case .auto: chosen = CharterImporter.Format.detect(fileName: file, bytes: bytes)
        case .text: chosen = .text
        case .html: chosen = .html
        }
        let result = CharterImporter.importCharter(bytes, format: chosen, name: name, source: source)
        for diagnostic in result.diagnostics {
            FileHandle.standardError.write(Data("\(file):\(diagnostic.line): \(diagnostic.reason)\n".utf8))
        }
        guard !result.entries.isEmpty else {
            throw CommandFailure.usage("\(file): no charter entry could be read")
        }
        print(JSONWriter.pretty(result.jsonValue), terminator: "")
    }
}

/// `cookiewatch charter export FILE --format md|html`: a registry as a publishable table.
struct ExportCharterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print a charter registry as a table per category, in Markdown or HTML."
    )

    @Argument(help: "The charter registry (JSON).")
    var file: String

    @Option(name: .long, help: "md or html.")
    var format: CharterExporter.Format = .md

    func run() async throws {
        let bytes = try readFile(file)
        do {
            let charter = try Charter(decoding: bytes, file: file)
            print(CharterExporter.export(charter, format: format), terminator: "")
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
    }
}

extension CharterExporter.Format: ExpressibleByArgument {}

/// The bytes of a file named on the command line; a missing file is a usage error (exit 2).
private func readFile(_ path: String) throws -> [UInt8] {
    do {
        return try LocalFileSource().read(path, limit: FileLimits.charter)
    } catch .notFound {
        throw CommandFailure.usage("\(path): file does not exist")
    } catch .isDirectory {
        throw CommandFailure.usage("\(path): is a directory, expected a file")
    } catch .unreadable(let reason) {
        throw CommandFailure.usage("\(path): cannot read: \(reason)")
    } catch {
        throw CommandFailure.usage("\(path): \(error.describe("the file"))")
    }
}
