internal import CCurl

/// How libcurl's result codes map to the stable failure codes (https://curl.se/libcurl/c/libcurl-errors.html).
enum CurlFailure {
    /// libcurl's own header limits have no error code of their own: a line over CURL_MAX_HTTP_HEADER
    /// (100 KB) fails as CURLE_OUT_OF_MEMORY while headers are being read, and more than
    /// MAX_HTTP_RESP_HEADER_SIZE (300 KB, CVE-2023-38039) as CURLE_RECV_ERROR "Too large response headers".
    static func isHeaderLimit(_ code: CURLcode, text: String?, headersComplete: Bool) -> Bool {
        guard !headersComplete else { return false }
        return code == CURLE_OUT_OF_MEMORY
            || (code == CURLE_RECV_ERROR && text?.contains("Too large response headers") == true)
    }

    static func classify(_ code: CURLcode) -> (FetchFailure.Code, String) {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST: return (.dns, "the host name could not be resolved")
        case CURLE_COULDNT_CONNECT: return (.connect, "the connection was refused or could not be made")
        case CURLE_OPERATION_TIMEDOUT: return (.timeout, "the time limit was reached")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED:
            return (.tls, "the TLS handshake or certificate check failed")
        case CURLE_FILESIZE_EXCEEDED: return (.bodyTooLarge, "the announced body size exceeds the body cap")
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return (.protocol, "the URL is not a usable http or https URL")
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING,
            CURLE_TOO_MANY_REDIRECTS:
            return (.protocol, "the server's reply is not valid HTTP")
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            return (.network, "the connection broke during the exchange")
        default: return (.internal, "libcurl failed")
        }
    }

    /// Which of the three time limits fired, from libcurl's error text (its wording has been stable
    /// since 7.x) and, failing that, from how far the transfer got: the connect timeout, the low-speed
    /// limit or the visit's total timeout, named with its configuration key.
    static func timeoutMessage(_ text: String?, timings: HopTimings, limits: FetchLimits) -> String {
        let connect =
            "no connection within the connect timeout of \(seconds(limits.connectTimeout)) (limits.connectTimeout)"
        let lowSpeed =
            "the server sent less than \(limits.lowSpeedBytesPerSecond) byte/s for \(seconds(limits.lowSpeedTime)) (the low-speed limit)"
        let total =
            "the page took longer than the total timeout of \(seconds(limits.visitTimeout)) (limits.totalTimeout)"
        let text = text ?? ""
        if text.hasPrefix("Operation too slow") { return lowSpeed }
        if text.hasPrefix("Connection timed out") || text.hasPrefix("Resolving timed out")
            || text.hasPrefix("Failed to connect")
        {
            return connect
        }
        if text.hasPrefix("Operation timed out") { return total }
        return timings.connect == .zero ? connect : total
    }

    /// "10s", "2.5s": a limit as the configuration writes it.
    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1_000 == 0 ? "\(milliseconds / 1_000)s" : "\(Double(milliseconds) / 1_000)s"
    }
}
