import Transport

/// The `browser` engine: page visits in headless Chromium, each in a fresh browser context.
public struct BrowserEngine: Sendable {
    public let supervisor: BrowserSupervisor
    private let slots: VisitSlots

    /// `concurrency` visits at most run at once (each is a browser context with its renderers).
    public init(supervisor: BrowserSupervisor, concurrency: Int = 2) {
        self.supervisor = supervisor
        self.slots = VisitSlots(limit: concurrency)
    }

    /// Visits `request.url`. A browser that crashes or hangs is replaced, and the visit is a
    /// `browser-crashed` or `browser-timeout` failure, never an empty pass.
    /// With `signIn`, the page is a login page: the fields are typed into and the form submitted once it
    /// has settled.
    public func visit(_ request: VisitRequest, banner: BannerClicks? = nil, signIn: SignInActions? = nil) async
        -> BrowserVisitResult
    {
        await slots.acquire()
        let result = await visitNow(request, banner: banner, signIn: signIn)
        await slots.release()
        return result
    }

    private func visitNow(_ request: VisitRequest, banner: BannerClicks?, signIn: SignInActions?) async
        -> BrowserVisitResult
    {
        let generation: Int
        let connection: DevToolsConnection
        do {
            (generation, connection) = try await supervisor.begin()
        } catch {
            return BrowserVisitResult(
                capture: BrowserCapture(), failure: failure(.browserUnavailable, error.description, request))
        }
        do {
            let result = try await BrowserVisit(
                connection: connection, request: request, banner: banner, signIn: signIn, options: supervisor.options
            )
            .run()
            await supervisor.finish(generation, failure: nil)
            return result
        } catch {
            await supervisor.finish(generation, failure: error)
            let code: FetchFailure.Code =
                switch error {
                case .timeout: .browserTimeout
                case .crashed, .unavailable: .browserCrashed
                case .protocolError: .internal
                }
            return BrowserVisitResult(capture: BrowserCapture(), failure: failure(code, error.description, request))
        }
    }

    private func failure(_ code: FetchFailure.Code, _ message: String, _ request: VisitRequest) -> FetchFailure {
        FetchFailure(code: code, message: message, hopIndex: 0, url: request.url)
    }
}
