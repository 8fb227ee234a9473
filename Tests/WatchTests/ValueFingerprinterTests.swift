import Audit
import CookieModel
import Crypto
import Foundation
import Testing
import Watch

@Suite("Value fingerprints")
struct ValueFingerprinterTests {
    static let key = Array(repeating: UInt8(7), count: 32)

    @Test("the same value under the same key gives the same 16 hex digits; another value or key does not")
    func fingerprints() {
        let one = ValueFingerprinter(key: Self.key)
        let other = ValueFingerprinter(key: Array(repeating: UInt8(8), count: 32))
        let print = one.fingerprint("abc123")
        #expect(print.count == 16 && print.allSatisfy(\.isHexDigit))
        #expect(one.fingerprint("abc123") == print)
        #expect(one.fingerprint("abc124") != print)
        #expect(other.fingerprint("abc123") != print)
    }

    @Test("fingerprints are HMAC-SHA256 (RFC 2104) as swift-crypto computes it, for short, block-sized and long keys")
    func isHMAC() {
        var generator = SystemRandomNumberGenerator()
        for keyLength in [16, 32, 64, 65, 200] {
            let key = (0..<keyLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let fingerprinter = ValueFingerprinter(key: key)
            for valueLength in [0, 1, 55, 64, 200] {
                let value = String((0..<valueLength).map { _ in "abcdef0123é;=".randomElement(using: &generator)! })
                let mac = HMAC<SHA256>.authenticationCode(for: Array(value.utf8), using: SymmetricKey(data: key))
                let expected = mac.map { String(format: "%02x", $0) }.joined().prefix(16)
                #expect(fingerprinter.fingerprint(value) == String(expected), "key \(keyLength) bytes, value \(value)")
            }
        }
    }

    @Test("without a credential the key is generated once into the state directory with mode 0600, then reused")
    func generated() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try ValueFingerprinter.load(environment: [:], stateDirectory: dir.path)
        let path = dir.path + "/fingerprint-key"
        #expect(first.source == .generated(path))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try dir.bytes("fingerprint-key").count == 32)
        #expect(try dir.names() == ["fingerprint-key"])
        let second = try ValueFingerprinter.load(environment: [:], stateDirectory: dir.path)
        #expect(second.source == .stateFile(path))
        #expect(second.fingerprinter.fingerprint("v") == first.fingerprinter.fingerprint("v"))
    }

    @Test("a systemd credential is preferred to the state directory's key")
    func credential() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path + "/creds", withIntermediateDirectories: true)
        try dir.write("creds/fingerprint-key", Self.key)
        let loaded = try ValueFingerprinter.load(
            environment: ["CREDENTIALS_DIRECTORY": dir.path + "/creds"], stateDirectory: dir.path)
        #expect(loaded.source == .credential(dir.path + "/creds/fingerprint-key"))
        #expect(loaded.fingerprinter.fingerprint("v") == ValueFingerprinter(key: Self.key).fingerprint("v"))
        #expect(try dir.names() == ["creds"])
    }

    @Test("a key file shorter than 16 bytes is an error naming the file")
    func shortKey() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("fingerprint-key", [1, 2, 3])
        #expect {
            try ValueFingerprinter.load(environment: [:], stateDirectory: dir.path)
        } throws: { error in
            (error as? FileError)?.description
                == "\(dir.path)/fingerprint-key: cannot use as the fingerprint key: 3 bytes, expected at least 16 (32 random bytes are generated when the file is missing)"
        }
    }

    @Test("history cookies from a visit carry length, shape and fingerprint of a value, never the value")
    func noValues() throws {
        let canary = "CANARY-a8f3e1d2c4b5"
        let url = try CookieURL(parsing: "https://example.org/")
        var jar = CookieJar()
        let now = Date(timeIntervalSince1970: 1_795_824_000)
        let outcomes = [
            jar.receive(setCookie: "sessionid=\(canary); Max-Age=60; Secure; HttpOnly", from: url, at: now),
            jar.receive(setCookie: "gone=x", from: url, at: now),
            jar.receive(setCookie: "gone=; Max-Age=0", from: url, at: now),
        ]
        let observation = PageObservation(
            page: PageRef(url: "https://example.org/", variant: "v"), consentGiven: false,
            hops: [ObservedHop(url: url, status: 200, date: now, outcomes: outcomes)])
        let fingerprinter = ValueFingerprinter(key: Self.key)
        let cookies = HistoryCookie.list(from: observation, now: now, fingerprinter: fingerprinter)
        #expect(cookies.map(\.name) == ["sessionid"])
        #expect(cookies.first?.valueLength == canary.utf8.count)
        #expect(cookies.first?.valueFingerprint == fingerprinter.fingerprint(canary))
        #expect(cookies.first?.attributes.lifetime == 60)
        let line = HistoryRecord.scan(
            site: "s", page: observation.page, time: now, cookies: cookies, previous: nil
        ).line()
        #expect(!String(decoding: line, as: UTF8.self).contains(canary))
    }

    @Test("a visit's list is the same through the small visit's array as through the table: replaced, deleted, per hop")
    func smallAndLargeVisitsAgree() throws {
        let now = Date(timeIntervalSince1970: 1_795_824_000)
        let fingerprinter = ValueFingerprinter(key: Self.key)
        let first = try CookieURL(parsing: "https://www.example.org/a/b")
        let second = try CookieURL(parsing: "https://shop.example.org/")
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<200 {
            var jar = CookieJar()
            var hops: [ObservedHop] = []
            var count = 0
            for url in [first, second] {
                var outcomes: [StorageOutcome] = []
                for _ in 0..<next(8) {
                    let name = ["a", "b", "c"][next(3)]
                    let attributes = ["; Path=/", "; Path=/a", "; Domain=example.org", "; Max-Age=0", ""][next(5)]
                    outcomes.append(jar.receive(setCookie: "\(name)=v\(next(9))\(attributes)", from: url, at: now))
                }
                count += outcomes.count
                hops.append(ObservedHop(url: url, status: 200, date: now, outcomes: outcomes))
            }
            #expect(count <= HistoryCookie.smallVisit)
            // Rejected outcomes change nothing in the list, but past `smallVisit` they take the table.
            let rejected = (0...HistoryCookie.smallVisit).map { _ in
                jar.receive(setCookie: "x=1; Domain=other.test", from: first, at: now)
            }
            let padded = hops + [ObservedHop(url: first, status: 200, date: now, outcomes: rejected)]
            let page = PageRef(url: first.description, variant: "v")
            let small = HistoryCookie.list(
                from: PageObservation(page: page, consentGiven: false, hops: hops), now: now,
                fingerprinter: fingerprinter)
            let large = HistoryCookie.list(
                from: PageObservation(page: page, consentGiven: false, hops: padded), now: now,
                fingerprinter: fingerprinter)
            #expect(small == large)
            #expect(Set(small.map(\.identity)) == Set(jar.allCookies(at: now).map(\.key)))
        }
    }
}
