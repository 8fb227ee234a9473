import Foundation

/// Files shipped with the package, found from this source file.
enum Fixtures {
    /// The package root (Tests/CharterTests/../..).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func shipped(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: packageRoot.appendingPathComponent(path)))
    }
}
