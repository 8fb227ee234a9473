import Testing
import Watch

@Suite("line digests held as bytes")
struct LineDigestTests {
    @Test("the digest of a line reads back from the hex HexDigest writes for it, and differs for other bytes")
    func sameAsHexDigest() throws {
        let line = Array(#"{"formatVersion":1,"type":"unchanged"}"#.utf8)
        let digest = line.withUnsafeBytes { LineDigest(hashing: $0) }
        #expect(digest.hex == HexDigest.sha256(line))
        let parsed = try #require(Array(HexDigest.sha256(line).utf8).withUnsafeBytes { LineDigest(hex: $0) })
        #expect(parsed == digest)
        let other = Array("x".utf8).withUnsafeBytes { LineDigest(hashing: $0) }
        #expect(other != digest)
    }

    @Test(
        "anything but 64 lower-case hex digits is not a digest",
        arguments: [
            String(repeating: "0", count: 63), String(repeating: "A", count: 64), String(repeating: "g", count: 64), "",
        ])
    func rejects(text: String) {
        #expect(Array(text.utf8).withUnsafeBytes { LineDigest(hex: $0) } == nil)
    }
}
