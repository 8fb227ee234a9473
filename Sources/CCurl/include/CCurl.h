// The one thin C shim over libcurl: typed, non-variadic wrappers that Swift can call.
// Only the Transport module imports this header.
#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>

/// Must be called once per process before anything else (curl_global_init is not thread-safe).
CURLcode cw_global_init(void);

/// The commit the binary was built from ("unknown" unless the build says).
const char *cw_build_commit(void);

/// glibc's mallopt(M_MMAP_THRESHOLD, bytes): fixes the threshold (and the trim threshold), which glibc
/// otherwise raises as large blocks are freed. Returns 1 on success.
int cw_fix_mmap_threshold(size_t bytes);
/// Bytes glibc's allocator holds in blocks of their own mmap (mallinfo2's hblkhd).
size_t cw_mmapped_bytes(void);

CURLcode cw_easy_setopt_long(CURL *easy, CURLoption option, long value);
CURLcode cw_easy_setopt_str(CURL *easy, CURLoption option, const char *value);
CURLcode cw_easy_setopt_ptr(CURL *easy, CURLoption option, void *value);
CURLcode cw_easy_setopt_off_t(CURL *easy, CURLoption option, curl_off_t value);
CURLcode cw_easy_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value);

typedef size_t (*cw_data_callback)(char *data, size_t size, size_t count, void *context);
CURLcode cw_easy_setopt_write_callback(CURL *easy, cw_data_callback callback);
CURLcode cw_easy_setopt_header_callback(CURL *easy, cw_data_callback callback);

/// Decides whether a resolved address may be connected to: non-zero allows. `context` is the
/// transfer's CURLOPT_OPENSOCKETDATA.
typedef int (*cw_address_check)(void *context, int family, const struct sockaddr *address, unsigned int length);
/// Installs the process-wide address check; call once, before any transfer.
void cw_set_address_check(cw_address_check check);
/// Routes every socket the transfer opens through the address check, with `context` passed to it.
CURLcode cw_easy_check_addresses(CURL *easy, void *context);

CURLcode cw_easy_getinfo_long(CURL *easy, CURLINFO info, long *value);
CURLcode cw_easy_getinfo_str(CURL *easy, CURLINFO info, const char **value);
CURLcode cw_easy_getinfo_off_t(CURL *easy, CURLINFO info, curl_off_t *value);

/// The negotiated TLS protocol ("TLSv1.3") of the transfer's connection, or NULL for plain HTTP.
/// Only valid while the transfer is in progress (CURLINFO_TLS_SSL_PTR), e.g. from a header callback.
const char *cw_easy_tls_version(CURL *easy);

CURLMcode cw_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/// Reads one finished transfer from the multi handle: 1 and fills `easy` and `result`, or 0 when none is left.
int cw_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

#endif
