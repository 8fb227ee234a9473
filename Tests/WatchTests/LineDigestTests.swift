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

@Suite("SHA-256 as hex")
struct HexDigestTests {
    @Test("FIPS 180-2 vectors: \"abc\" and the empty message, as 64 lower-case hex digits")
    func knownVectors() {
        #expect(
            HexDigest.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(HexDigest.sha256([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(HexDigest.sha256(Array("xabc".utf8)[1...]) == HexDigest.sha256(Array("abc".utf8)))
    }
}
