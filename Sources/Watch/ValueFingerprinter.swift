import Crypto
import Foundation

/// Fingerprints cookie values with HMAC-SHA256 under a secret key, so that history can tell "same
/// value as before" without ever holding a value.
public struct ValueFingerprinter: Sendable {
    /// The credential name under `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`) and the file
    /// name in the state directory.
    public static let keyFileName = "fingerprint-key"

    private let keyed: KeyedHashes

    /// A fingerprinter under `key`'s bytes.
    public init(key: [UInt8]) {
        keyed = KeyedHashes(key: key)
    }

    /// The first 16 hex digits (64 bits) of HMAC-SHA256(key, value).
    public func fingerprint(_ value: String) -> String {
        HexDigest.hex(keyed.authenticationCode(for: Array(value.utf8)), bytes: 8)
    }

    /// HMAC-SHA256 (RFC 2104) with the key's two padded blocks hashed once: `HMAC(key:)` for every
    /// value made a SymmetricKey and hashed both pads again (3.5 % of a daemon round's CPU).
    /// Immutable; SHA256 copies its context before a copy is updated, so threads may share it.
    private final class KeyedHashes: @unchecked Sendable {
        let inner: SHA256
        let outer: SHA256

        init(key: [UInt8]) {
            var block = key.count > SHA256.blockByteCount ? Array(SHA256.hash(data: key)) : key
            block += [UInt8](repeating: 0, count: SHA256.blockByteCount - block.count)
            var inner = SHA256()
            inner.update(data: block.map { $0 ^ 0x36 })
            var outer = SHA256()
            outer.update(data: block.map { $0 ^ 0x5C })
            self.inner = inner
            self.outer = outer
        }

        func authenticationCode(for message: [UInt8]) -> SHA256.Digest {
            var first = inner
            first.update(data: message)
            var second = outer
            first.finalize().withUnsafeBytes { second.update(bufferPointer: $0) }
            return second.finalize()
        }
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
