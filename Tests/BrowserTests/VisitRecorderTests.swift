import StrictJSON
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

    @Test("the writing script is the first URL of the stack below the hook's anonymous frames")
    func scriptURL() {
        let stack = """
            Error
                at stack (<anonymous>:4:40)
                at HTMLDocument.set [as cookie] (<anonymous>:9:41)
                at loadTag (https://cdn.example:8443/tag.js?v=2:1:16)
                at https://www.example/page:3:9
            """
        #expect(VisitRecorder.scriptURL(stack: stack) == "https://cdn.example:8443/tag.js?v=2")
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
