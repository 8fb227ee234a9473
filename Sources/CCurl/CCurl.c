#include "CCurl.h"
#include <malloc.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

CURLcode cw_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }

// The commit the binary was built from: scripts/package and `make build` pass
// -Xcc -DCOOKIEWATCH_COMMIT="\"<hash>\"". Here because this is the project's one C target.
#ifndef COOKIEWATCH_COMMIT
#define COOKIEWATCH_COMMIT "unknown"
#endif
const char *cw_build_commit(void) { return COOKIEWATCH_COMMIT; }

// Also here because this is the one C target: Swift's Glibc module does not import <malloc.h>.
int cw_fix_mmap_threshold(size_t bytes) { return mallopt(M_MMAP_THRESHOLD, (int)bytes); }
size_t cw_mmapped_bytes(void) { return mallinfo2().hblkhd; }

CURLcode cw_easy_setopt_long(CURL *easy, CURLoption option, long value) {
    return curl_easy_setopt(easy, option, value);
}
CURLcode cw_easy_setopt_str(CURL *easy, CURLoption option, const char *value) {
    return curl_easy_setopt(easy, option, value);
}
CURLcode cw_easy_setopt_ptr(CURL *easy, CURLoption option, void *value) {
    return curl_easy_setopt(easy, option, value);
}
CURLcode cw_easy_setopt_off_t(CURL *easy, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(easy, option, value);
}
CURLcode cw_easy_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(easy, option, value);
}
CURLcode cw_easy_setopt_write_callback(CURL *easy, cw_data_callback callback) {
    return curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, callback);
}
CURLcode cw_easy_setopt_header_callback(CURL *easy, cw_data_callback callback) {
    return curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, callback);
}

static cw_address_check address_check = NULL;

void cw_set_address_check(cw_address_check check) { address_check = check; }

// CURLOPT_OPENSOCKETFUNCTION sees the resolved address of every connection attempt (each hop,
// each address of a multi-address name), which is where a DNS answer pointing at a private
// network has to be refused: https://curl.se/libcurl/c/CURLOPT_OPENSOCKETFUNCTION.html
static curl_socket_t cw_open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)purpose;
    if (address_check == NULL || !address_check(clientp, address->family, &address->addr, address->addrlen)) {
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

CURLcode cw_easy_check_addresses(CURL *easy, void *context) {
    CURLcode rc = curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, context);
    if (rc != CURLE_OK) return rc;
    return curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, cw_open_socket);
}

CURLcode cw_easy_getinfo_long(CURL *easy, CURLINFO info, long *value) {
    return curl_easy_getinfo(easy, info, value);
}
CURLcode cw_easy_getinfo_str(CURL *easy, CURLINFO info, const char **value) {
    char *text = NULL;
    CURLcode rc = curl_easy_getinfo(easy, info, &text);
    *value = text;
    return rc;
}
CURLcode cw_easy_getinfo_off_t(CURL *easy, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(easy, info, value);
}

const char *cw_easy_tls_version(CURL *easy) {
    struct curl_tlssessioninfo *info = NULL;
    if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || info == NULL) return NULL;
    if (info->backend != CURLSSLBACKEND_OPENSSL || info->internals == NULL) return NULL;
    return SSL_get_version((const SSL *)info->internals);
}

CURLMcode cw_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

int cw_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result) {
    int queued = 0;
    CURLMsg *message;
    while ((message = curl_multi_info_read(multi, &queued)) != NULL) {
        if (message->msg == CURLMSG_DONE) {
            *easy = message->easy_handle;
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}
