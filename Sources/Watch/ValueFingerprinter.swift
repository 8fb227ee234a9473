import Crypto
import Foundation

/// Fingerprints cookie values with HMAC-SHA256 under a secret key, so that history can tell "same
/// value as before" without ever holding a value.
public struct ValueFingerprinter: Sendable {
    /// The credential name under `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`) and the file
    /// name in the state directory.
    public static let keyFileName = "fingerprint-key"

    // Bytes rather than a `SymmetricKey`, which swift-crypto does not declare Sendable.
    private let key: [UInt8]

    /// A fingerprinter under `key`'s bytes.
    public init(key: [UInt8]) {
        self.key = key
    }

    /// The first 16 hex digits (64 bits) of HMAC-SHA256(key, value).
    public func fingerprint(_ value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(value.utf8), using: SymmetricKey(data: key))
        return String(HexDigest.hex(mac).prefix(16))
    }

    /// Where the key came from, for the startup log.
    public enum KeySource: Sendable, Hashable {
        /// A systemd credential: `$CREDENTIALS_DIRECTORY/fingerprint-key`.
        case credential(String)
        /// The state directory's key file, which existed.
        case stateFile(String)
        /// The state directory's key file, generated now with mode 0600.
        case generated(String)
    }

    /// The key from the systemd credential if `CREDENTIALS_DIRECTORY` is set and holds one, else from
    /// `stateDirectory/fingerprint-key`, generated once (32 random bytes, mode 0600) if missing.
    public static func load(environment: [String: String], stateDirectory: String) throws(FileError) -> (
        fingerprinter: ValueFingerprinter, source: KeySource
    ) {
        if let credentials = environment["CREDENTIALS_DIRECTORY"], !credentials.isEmpty {
            let path = credentials + "/" + keyFileName
            if let key = try PosixFile.read(path) {
                return (ValueFingerprinter(key: try usable(key, path)), .credential(path))
            }
        }
        let path = stateDirectory + "/" + keyFileName
        if let key = try PosixFile.read(path) {
            return (ValueFingerprinter(key: try usable(key, path)), .stateFile(path))
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        do {
            try PosixFile.createAtomically(path, key, mode: 0o600)
        } catch  where error.errno == EEXIST {
            // Another process generated it first: use theirs.
            guard let theirs = try PosixFile.read(path) else { throw error }
            return (ValueFingerprinter(key: try usable(theirs, path)), .stateFile(path))
        }
        return (ValueFingerprinter(key: key), .generated(path))
    }

    private static func usable(_ key: [UInt8], _ path: String) throws(FileError) -> [UInt8] {
        guard key.count >= 16 else {
            throw FileError(
                file: path, operation: "use as the fingerprint key",
                reason:
                    "\(key.count) bytes, expected at least 16 (32 random bytes are generated when the file is missing)")
        }
        return key
    }
}
