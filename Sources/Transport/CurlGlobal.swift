internal import CCurl

/// libcurl's process-wide setup, done exactly once (curl_global_init is not thread-safe and must
/// precede every other call: https://curl.se/libcurl/c/curl_global_init.html).
enum CurlGlobal {
    private static let initialized: CURLcode = {
        let code = cw_global_init()
        if code == CURLE_OK { cw_set_address_check(transferAddressCheck) }
        return code
    }()

    static func initialize() throws(FetcherSetupError) {
        let code = initialized
        guard code == CURLE_OK else {
            throw FetcherSetupError("curl_global_init failed: \(String(cString: curl_easy_strerror(code)))")
        }
    }
}

/// libcurl could not be set up; the message says which call failed.
public struct FetcherSetupError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
