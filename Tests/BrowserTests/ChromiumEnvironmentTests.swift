import Testing

@testable import Browser

@Suite("The environment Chromium starts with")
struct ChromiumEnvironmentTests {
    @Test("everything cookiewatch has but the allocator tunables its unit sets for itself")
    func withoutGlibcTunables() {
        let inherited = [
            "PATH=/usr/bin", "GLIBC_TUNABLES=glibc.malloc.tcache_count=200", "HOME=/var/lib/cookiewatch",
            "COOKIEWATCH_CHROMIUM_SANDBOX=off", "MY_GLIBC_TUNABLES=kept",
        ]
        #expect(
            ChromiumProcess.environment(inheriting: inherited) == [
                "PATH=/usr/bin", "HOME=/var/lib/cookiewatch", "COOKIEWATCH_CHROMIUM_SANDBOX=off",
                "MY_GLIBC_TUNABLES=kept",
            ])
    }
}
