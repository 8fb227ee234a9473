import Foundation

/// Files under Tests/CharterTablesTests/Fixtures and the shared seed, found from this source file.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")
    /// The package root (Tests/CharterTablesTests/../..).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The seed charter, `../shared/seeds/` beside the package.
    static func seed() throws -> [UInt8] {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent(
            "shared/seeds/000_40d9d437a4e91131.txt")
        return [UInt8](try Data(contentsOf: url))
    }

    static func shipped(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: packageRoot.appendingPathComponent(path)))
    }
}
