import Foundation

/// Files under Tests/CharterTablesTests/Fixtures and the published seed charter, found from this source file.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")
    /// The package root (Tests/CharterTablesTests/../..).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The seed charter as published, shipped as the importer's sample input.
    static func seed() throws -> [UInt8] {
        try shipped("charters/published/opendatasoft-charte-cookies.txt")
    }

    static func shipped(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: packageRoot.appendingPathComponent(path)))
    }
}
