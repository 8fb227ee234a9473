import LocalHTTP
import Testing
import Transport

@Suite("Response headers are kept exactly, within a bounded size")
struct HeaderTests {
    @Test("5,000 Set-Cookie headers are all recorded, in order")
    func fiveThousandSetCookies() async throws {
        let values = (0..<5000).map { "c\($0)=v\($0); Path=/" }
        let site = try TestSite(routes: ["/many": { _ in .respond(.page(setCookies: values)) }])
        defer { site.finish() }

        let exchange = await site.visit("/many")

        #expect(exchange.failure == nil)
        #expect(exchange.hops.first?.setCookieValues.map { String(decoding: $0, as: UTF8.self) } == values)
        #expect(exchange.hops.first?.cookieOutcomes.count == 5000)
    }

    @Test("a 10 MB header is refused as headers-too-large without being held in memory")
    func tenMegabyteHeader() async throws {
        // Built once, not per request; and time limits far above the cap's, so that a loaded 2-core CI
        // machine (debug build, every suite at once) cannot turn the header cap into a timeout.
        let response = Response(headers: [HeaderLine("X-Huge", String(repeating: "x", count: 10 * 1024 * 1024))])
        let site = try TestSite(routes: ["/huge": { _ in .respond(response) }])
        defer { site.finish() }
        var limits = testLimits(visitTimeout: .seconds(30))
        limits.lowSpeedTime = .seconds(20)

        let exchange = await site.visit("/huge", limits: limits)

        #expect(exchange.failure?.code == .headersTooLarge, "\(String(describing: exchange.failure))")
    }

    @Test("many headers adding up past the header cap are refused as headers-too-large")
    func manyHeadersPastTheCap() async throws {
        let filler = String(repeating: "y", count: 8 * 1024)
        let site = try TestSite(routes: [
            "/fat": { _ in
                .respond(Response(headers: (0..<200).map { HeaderLine("X-Filler-\($0)", filler) }))
            }
        ])
        defer { site.finish() }

        let exchange = await site.visit("/fat")

        #expect(exchange.failure?.code == .headersTooLarge, "\(String(describing: exchange.failure))")
    }

    @Test("a header name is read without the spaces and tabs around it, its value without those at its ends")
    func namesTrimmed() async throws {
        let site = try TestSite(routes: [
            "/spaced": { _ in
                .respond(Response(headers: [HeaderLine("Set-Cookie \t", " \ta=1; Path=/\t "), HeaderLine("X-B", "b")]))
            }
        ])
        defer { site.finish() }

        let exchange = await site.visit("/spaced")

        let hop = try #require(exchange.hops.first)
        #expect(hop.headers.map(\.name).filter { $0 == "Set-Cookie" || $0 == "X-B" } == ["Set-Cookie", "X-B"])
        #expect(hop.setCookieValues == [Array("a=1; Path=/".utf8)])
    }

    @Test("header bytes that are not UTF-8 are kept exactly, and decoded lossily on request")
    func nonUTF8Bytes() async throws {
        let cookie: [UInt8] = Array("latin=caf".utf8) + [0xE9] + Array("; Path=/".utf8)
        let site = try TestSite(routes: [
            "/bytes": { _ in
                .respond(
                    Response(headers: [
                        HeaderLine("X-Raw", bytes: [0xFF, 0xFE, 0x41]), HeaderLine("Set-Cookie", bytes: cookie),
                    ]))
            }
        ])
        defer { site.finish() }

        let exchange = await site.visit("/bytes")

        let hop = try #require(exchange.hops.first)
        #expect(hop.setCookieValues == [cookie])
        #expect(hop.headers.first { $0.isNamed("x-raw") }?.value == [0xFF, 0xFE, 0x41])
        #expect(hop.values(of: "X-Raw") == ["\u{FFFD}\u{FFFD}A"])
    }

    @Test("chunked trailers are not taken for response headers")
    func trailersIgnored() async throws {
        let body = "5\r\nhello\r\n0\r\nSet-Cookie: trailer=1\r\n\r\n"
        let site = try TestSite(routes: [
            "/chunked": { _ in
                .respond(Response(headers: [HeaderLine("Transfer-Encoding", "chunked")], body: body))
            }
        ])
        defer { site.finish() }

        let exchange = await site.visit("/chunked")

        #expect(exchange.failure == nil, "\(String(describing: exchange.failure))")
        #expect(exchange.hops.first?.setCookieValues.isEmpty == true)
        #expect(exchange.hops.first?.bodyBytes == 5)
    }

    @Test("the Date header is parsed, so lifetimes can be measured from the server's clock")
    func dateHeader() async throws {
        let site = try TestSite(routes: [
            "/dated": { _ in
                .respond(Response(headers: [HeaderLine("Date", "Sun, 06 Nov 1994 08:49:37 GMT")]))
            }
        ])
        defer { site.finish() }

        let exchange = await site.visit("/dated")

        #expect(exchange.hops.first?.date?.timeIntervalSince1970 == 784_111_777)
    }

    @Test(
        "header names match ASCII case-insensitively, and only whole names",
        arguments: [
            ("Set-Cookie", "set-cookie", true), ("SET-COOKIE", "set-cookie", true), ("set-cookie", "set-cookie", true),
            ("Set-Cookie2", "set-cookie", false), ("Set-Cooki", "set-cookie", false), ("Date", "date", true),
            ("X_A", "x_a", true), ("X[A", "x{a", false), ("Dat\u{E9}", "dat\u{C9}", false),
        ])
    func names(name: String, asked: String, matches: Bool) {
        #expect(HeaderField(name: name, value: []).isNamed(asked) == matches)
    }
}
