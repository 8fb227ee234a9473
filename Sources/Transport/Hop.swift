import CookieModel
import Foundation

/// One request and response of a visit: the first page or a redirect it led to.
public struct Hop: Sendable {
    /// Zero for the requested page, then one per redirect followed.
    public var index: Int
    public var url: String
    /// `url` as the cookie rules read it, as the visit parsed it; nil for hops made elsewhere.
    public var cookieURL: CookieURL?
    public var status: Int
    /// Every response header in the order received (the status line excluded).
    public var headers: [HeaderField]
    /// The response's `Date` header, read with the cookie-date algorithm; lifetimes are measured from it.
    public var date: Date?
    public var remoteAddress: String?
    public var remotePort: Int?
    /// The negotiated TLS protocol (e.g. `TLSv1.3`), nil for plain HTTP.
    public var tlsVersion: String?
    /// The HTTP version of the response (e.g. `HTTP/1.1`, `HTTP/2`).
    public var httpVersion: String?
    public var timings: HopTimings
    /// Body bytes read (the body itself is not kept).
    public var bodyBytes: Int
    /// Names of the cookies sent on this request, in `Cookie` header order (values are never kept here).
    public var sentCookieNames: [String]
    /// What a browser did with each `Set-Cookie` header of this response, in header order.
    public var cookieOutcomes: [StorageOutcome]
    /// Where the response redirects to, resolved against `url`; nil when it does not redirect.
    public var redirectURL: String?

    /// Every `Set-Cookie` header value, exact bytes, in order.
    public var setCookieValues: [[UInt8]] { headers.filter { $0.isNamed("set-cookie") }.map(\.value) }

    /// The values of the headers named `name`, decoded lossily, in order.
    public func values(of name: String) -> [String] { headers.filter { $0.isNamed(name) }.map(\.text) }
}
