// libcurl, loaded with dlopen on the first request: a process that makes no request (every
// check and hook) does not load or bind libcurl and the libraries behind it (OpenSSL, nghttp2,
// GSSAPI, LDAP, …). Only MLicenseHub calls these; no libcurl type appears here.
#ifndef CCURL_LOADER_H
#define CCURL_LOADER_H

#include <stddef.h>

/// The outcome of one GET.
typedef struct mlc_http_response {
    /// The HTTP status (0 when the transfer failed).
    long status;
    /// The body (malloc'd, not NUL-terminated), and its length.
    char *body;
    size_t body_length;
    /// The response's header lines, "Name: value\r\n" each (malloc'd), and their length.
    char *headers;
    size_t headers_length;
    /// Whether the body was cut at the limit.
    int truncated;
    /// libcurl's error code (0 = the transfer completed, whatever the status) and message.
    int curl_code;
    char error[256];
} mlc_http_response;

/// Loads libcurl (libcurl.so.4) once; returns 0, or -1 with a message in `error`.
int mlc_http_load(char *error, size_t error_length);

/// GETs `url` with `header_count` request header lines, without following redirects, within
/// `timeout_ms` (connecting within `connect_timeout_ms`), keeping at most `max_body` bytes.
/// Returns 0 when the transfer completed (any status), else libcurl's code (also in `out`).
int mlc_http_get(const char *url, const char *const *headers, int header_count, long timeout_ms,
                 long connect_timeout_ms, size_t max_body, mlc_http_response *out);

/// Frees what `mlc_http_get` allocated in `r`.
void mlc_http_response_free(mlc_http_response *r);

#endif
