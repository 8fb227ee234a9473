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
}
