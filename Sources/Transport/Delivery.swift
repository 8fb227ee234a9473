import CookieModel
import Foundation
import NetworkAddress

/// A POST that delivers something to a service the operator configured (Alertmanager, a webhook):
/// no cookies, no redirects followed, the same limits and TLS rules as a visit.
public struct Delivery: Sendable {
    public var url: String
    /// Header lines such as `Content-Type: application/json`; never logged (they may carry tokens).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var limits: FetchLimits

    /// An operator's own endpoint may sit on a private network, so every address is allowed unless
    /// `limits` says otherwise.
    public init(url: String, headers: [(name: String, value: String)] = [], body: [UInt8], limits: FetchLimits? = nil) {
        self.url = url
        self.headers = headers
        self.body = body
        self.limits =
            limits
            ?? {
                var open = FetchLimits()
                open.addressPolicy = AddressPolicy(allowed: [
                    IPNetwork(address: IPAddress(unchecked: [0, 0, 0, 0]), prefixLength: 0),
                    IPNetwork(address: IPAddress(unchecked: [UInt8](repeating: 0, count: 16)), prefixLength: 0),
                ])
                open.failOnHTTPError = true
                return open
            }()
    }
}

/// What a delivery got back: the status, or why it failed (a status of 400 and above is `http-status`).
public struct DeliveryResult: Sendable {
    public var status: Int?
    public var failure: FetchFailure?

    public init(status: Int?, failure: FetchFailure?) {
        self.status = status
        self.failure = failure
    }

    /// The statuses by which a receiver says "this request is wrong": only these drop what was sent.
    /// Every other refusal (401, 403, 407: a credential; 404: a wrong URL; 429 and 5xx: load) says
    /// nothing against the event, so it is kept and sent again: delivery fails closed.
    public static let finalRefusals: Set<Int> = [400, 409, 413, 422]

    /// Worth retrying: the network failed, or the server refused for a reason other than the request
    /// itself (see `finalRefusals`). A URL that is not http(s) or a blocked address never gets better.
    public var isRetryable: Bool {
        guard let failure else { return false }
        if failure.code == .httpStatus, let status { return !Self.finalRefusals.contains(status) }
        return failure.code != .protocol && failure.code != .blockedAddress
    }
}

extension CurlFetcher {
    /// POSTs `delivery.body` once, on the same driver thread as the visits.
    public func deliver(_ delivery: Delivery) async -> DeliveryResult {
        guard let target = try? CookieURL(parsing: delivery.url) else {
            return DeliveryResult(
                status: nil,
                failure: FetchFailure(
                    code: .protocol, message: "not an http or https URL", hopIndex: 0, url: delivery.url))
        }
        let headers = delivery.headers.map { "\($0.name): \($0.value)" }
        if let bad = delivery.headers.first(where: {
            ($0.name + $0.value).contains(where: { $0 == "\r" || $0 == "\n" })
        }) {
            return DeliveryResult(
                status: nil,
                failure: FetchFailure(
                    code: .protocol, message: "header \(bad.name) contains a line break", hopIndex: 0, url: delivery.url
                ))
        }
        let spec = Transfer.Spec(
            url: delivery.url, host: target.host, headers: headers,
            timeoutMilliseconds: Transfer.milliseconds(delivery.limits.visitTimeout), limits: delivery.limits,
            postBody: delivery.body)
        let result = await driver.perform(Transfer(spec: spec))
        var failure = Visit.failure(of: result, limits: delivery.limits, index: 0, url: delivery.url)
        if failure == nil, delivery.limits.failOnHTTPError, result.status >= 400 {
            failure = FetchFailure(
                code: .httpStatus, message: "the endpoint answered \(result.status)", hopIndex: 0, url: delivery.url)
        }
        return DeliveryResult(status: result.status > 0 ? result.status : nil, failure: failure)
    }
}
