/// How the server answers one request.
public enum Reply: Sendable {
    /// Sends the response, then keeps the connection for the next request.
    case respond(Response)
    /// Sends the response one byte at a time, waiting `interval` between bytes.
    case trickle(Response, interval: Duration)
    /// Reads the request and never answers; the connection stays open until the client or `stop` ends it.
    case hang
    /// Closes the connection with a TCP reset (SO_LINGER 0) instead of answering.
    case reset
    /// Sends the response head, then body bytes without end until the client goes away.
    case endless(Response)
}
