import Testing
import Transport
import NetworkAddress

@Suite("Restricted networks are refused unless allowed")
struct AddressPolicyTests {
    @Test(
        "restricted addresses are refused by default, public ones permitted",
        arguments: [
            ("127.0.0.1", false), ("127.9.9.9", false), ("10.1.2.3", false), ("172.16.0.1", false),
            ("172.31.255.255", false),
            ("172.32.0.1", true), ("192.168.1.1", false), ("100.64.0.1", false), ("100.128.0.1", true),
            ("169.254.169.254", false), ("0.0.0.0", false), ("::1", false), ("fd00::1", false), ("fe80::1", false),
            ("::ffff:127.0.0.1", false), ("::ffff:10.0.0.1", false), ("93.184.216.34", true), ("2606:4700::1", true),
        ])
    func defaults(address: String, permitted: Bool) throws {
        let ip = try #require(IPAddress(address))
        #expect(AddressPolicy().permits(ip) == permitted)
    }

    @Test("an allowed network opens exactly that network")
    func allowedNetwork() throws {
        let policy = try AddressPolicy(allowing: ["127.0.0.0/8", "fd12:3456::/32"])
        #expect(policy.permits(try #require(IPAddress("127.0.0.2"))))
        #expect(policy.permits(try #require(IPAddress("::ffff:127.0.0.1"))))
        #expect(policy.permits(try #require(IPAddress("fd12:3456::9"))))
        #expect(!policy.permits(try #require(IPAddress("169.254.169.254"))))
        #expect(!policy.permits(try #require(IPAddress("fd12:3457::9"))))
    }

    @Test(
        "a bad CIDR names itself and what is wrong",
        arguments: [
            ("10.0.0.0/33", "prefix length"), ("banana/8", "not an IPv4 or IPv6 address"),
            ("10.0.0.0/x", "prefix length"),
        ])
    func badCIDR(text: String, complaint: String) {
        #expect {
            _ = try IPNetwork(parsing: text)
        } throws: { error in
            "\(error)".contains(text) && "\(error)".contains(complaint)
        }
    }
}
