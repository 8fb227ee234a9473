import NetworkAddress
import StrictJSON
import Transport
import Foundation
import Testing

@testable import Browser

@Suite("VisitRecorder pairs DevTools events into responses and script writes")
struct VisitRecorderTests {
    private func event(_ method: String, _ json: String, session: String = "S") throws -> DevToolsEvent {
        DevToolsEvent(method: method, params: try JSONReader.parse(Array(json.utf8)), sessionId: session)
    }

    @Test("extra info that arrives before its request, and a redirect hop's after the next hop, pair by order")
    func pairsByOrder() throws {
        var recorder = VisitRecorder(targetId: "T", pageSession: "S", bindingName: "b")
        let events = [
            try event(
                "Network.responseReceivedExtraInfo",
                #"{"requestId":"1","statusCode":302,"headers":{"Set-Cookie":"a=1\nb=2"}}"#),
            try event(
                "Network.requestWillBeSent",
                #"{"requestId":"1","request":{"url":"http://s.test/"},"type":"Document","frameId":"T"}"#),
            try event(
                "Network.requestWillBeSent",
                #"{"requestId":"1","request":{"url":"http://s.test/next"},"type":"Document","frameId":"T","redirectResponse":{}}"#
            ),
            try event(
                "Network.responseReceivedExtraInfo",
                #"{"requestId":"1","statusCode":200,"headers":{"set-cookie":"c=3"},"blockedCookies":[{"cookieLine":"c=3","blockedReasons":["SecureOnly"]}]}"#
            ),
            try event(
                "Network.requestWillBeSent",
                #"{"requestId":"2","request":{"url":"http://p.test/x.gif"},"type":"Image","frameId":"T"}"#),
            try event(
                "Network.responseReceivedExtraInfo",
                #"{"requestId":"2","statusCode":200,"headers":{},"cookiePartitionKey":{"topLevelSite":"http://s.test","hasCrossSiteAncestor":true}}"#
            ),
            try event("Network.responseReceived", #"{"requestId":"2"}"#),
        ]
        for event in events { _ = recorder.handle(event) }
        let responses = recorder.capture().responses
        #expect(responses.map(\.url) == ["http://s.test/", "http://s.test/next", "http://p.test/x.gif"])
        #expect(responses.map(\.status) == [302, 200, 200])
        #expect(responses.map(\.isNavigation) == [true, true, false])
        #expect(responses[0].setCookieLines == ["a=1", "b=2"])
        #expect(responses[1].blocked == [BrowserCapture.Blocked(line: "c=3", reasons: ["SecureOnly"])])
        #expect(responses[2].crossSiteAncestor)
        #expect(responses[2].resourceType == "Image")
        // Request 1 is still loading: the page is not idle.
        #expect(recorder.pending == 1)
    }

    @Test("the writing script is the first URL of the stack below the hook's anonymous frames, without secrets")
    func scriptURL() {
        let stack = """
            Error
                at stack (<anonymous>:4:40)
                at HTMLDocument.set [as cookie] (<anonymous>:9:41)
                at loadTag (https://user:secret@cdn.example:8443/tag.js?key=s3cr3t#x:1:16)
                at https://www.example/page:3:9
            """
        // Query, fragment and user info may carry tokens: they are not kept.
        #expect(VisitRecorder.scriptURL(stack: stack) == "https://cdn.example:8443/tag.js")
        #expect(VisitRecorder.scriptURL(stack: "Error\n    at <anonymous>:1:1") == nil)
    }

    @Test("a binding call with another name, or a malformed report, is not a write")
    func foreignBinding() throws {
        var recorder = VisitRecorder(targetId: "T", pageSession: "S", bindingName: "b")
        _ = recorder.handle(
            try event(
                "Runtime.bindingCalled",
                #"{"name":"other","payload":"{\"text\":\"a=1\",\"document\":\"http://s.test/\"}"}"#))
        _ = recorder.handle(try event("Runtime.bindingCalled", #"{"name":"b","payload":"not json"}"#))
        _ = recorder.handle(
            try event(
                "Runtime.bindingCalled",
                #"{"name":"b","payload":"{\"text\":\"a=1\",\"document\":\"http://s.test/\",\"stack\":\"\"}"}"#))
        #expect(recorder.capture().scriptWrites.map(\.text) == ["a=1"])
    }
}

@Suite("The egress proxy's decision for a host name")
struct EgressDecisionTests {
    static func rules(_ mapping: [String: String] = [:]) throws -> EgressProxy.Rules {
        EgressProxy.Rules(policy: AddressPolicy(allowed: [try IPNetwork(parsing: "127.0.0.1/32")]), resolve: mapping)
    }

    @Test(
        "literal and mapped addresses outside the allowed networks are refused before any connection",
        arguments: ["169.254.169.254", "10.0.0.1", "192.168.1.1", "127.0.0.2", "::1", "fe80::1", "0.0.0.0"])
    func forbidden(address: String) throws {
        #expect(EgressDecision.decide(host: address, rules: try Self.rules()).isRefusal)
        #expect(
            EgressDecision.decide(host: "metadata.test", rules: try Self.rules(["metadata.test": address])).isRefusal)
    }

    @Test("an allowed address is connected to as checked")
    func allowed() throws {
        let decision = EgressDecision.decide(host: "site.test", rules: try Self.rules(["site.test": "127.0.0.1"]))
        #expect(decision == .connect(try #require(IPAddress("127.0.0.1"))))
    }

    @Test("proxy request heads: CONNECT authorities and absolute http URIs; anything else is not forwarded")
    func requestHeads() throws {
        let connect = try #require(ProxyRequest(head: Array("CONNECT [::1]:8443 HTTP/1.1\r\nHost: x\r\n\r\n".utf8)))
        #expect(connect.isConnect && connect.host == "::1" && connect.port == 8443)
        let get = try #require(
            ProxyRequest(head: Array("GET http://a.test/p?q=1 HTTP/1.1\r\nProxy-Connection: keep-alive\r\n\r\n".utf8)))
        #expect(get.host == "a.test" && get.port == 80)
        #expect(
            String(decoding: get.forwardedHead(), as: UTF8.self) == "GET /p?q=1 HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(ProxyRequest(head: Array("GET ftp://a.test/ HTTP/1.1\r\n\r\n".utf8)) == nil)
        #expect(ProxyRequest(head: Array("GET /relative HTTP/1.1\r\n\r\n".utf8)) == nil)
    }
}

extension EgressDecision {
    var isRefusal: Bool {
        if case .refuse = self { return true }
        return false
    }
}

@Suite("How a browser visit's failures and Chromium's command line are made")
struct BrowserVisitMappingTests {
    @Test(
        "Chromium's network errors on the navigation map to the libcurl engine's failure codes",
        arguments: [
            ("net::ERR_NAME_NOT_RESOLVED", FetchFailure.Code.dns), ("net::ERR_CONNECTION_REFUSED", .connect),
            ("net::ERR_TIMED_OUT", .timeout), ("net::ERR_TOO_MANY_REDIRECTS", .tooManyRedirects),
            ("net::ERR_HTTP_RESPONSE_CODE_FAILURE", .httpStatus), ("net::ERR_CERT_AUTHORITY_INVALID", .tls),
            ("net::ERR_SSL_PROTOCOL_ERROR", .tls), ("net::ERR_ACCESS_DENIED", .blockedAddress),
            ("net::ERR_EMPTY_RESPONSE", .network),
        ])
    func netErrors(error: String, code: FetchFailure.Code) {
        let failure = BrowserVisit.failure(netError: error, url: "https://example.org/")
        #expect(failure.code == code)
        #expect(failure.message.contains(error))
    }

    @Test("no JIT always; Chromium's sandbox off only when asked (the unit) or as root; one --disable-features")
    func arguments() {
        var options = BrowserOptions()
        options.chromiumSandbox = false
        let unsandboxed = ChromiumArguments.make(options, profile: "/tmp/p")
        #expect(unsandboxed.contains("--no-sandbox"))
        #expect(unsandboxed.contains("--js-flags=--jitless"))
        #expect(unsandboxed.filter { $0.hasPrefix("--disable-features=") }.count == 1)
        #expect(unsandboxed.contains { $0.hasPrefix("--host-resolver-rules=MAP * ~NOTFOUND") })
        options.chromiumSandbox = true
        let sandboxed = ChromiumArguments.make(options, profile: "/tmp/p")
        #expect(sandboxed.contains("--no-sandbox") == (geteuid() == 0))
    }
}
