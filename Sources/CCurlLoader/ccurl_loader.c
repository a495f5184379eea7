#include "ccurl_loader.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[256];
static int loaded = 0;

static void load(void) {
    const char *names[] = {"libcurl.so.4", "libcurl.so", "libcurl-gnutls.so.4"};
    void *lib = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && lib == NULL; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        snprintf(load_error, sizeof load_error, "cannot load libcurl (install libcurl4): %s", dlerror());
        return;
    }
#define BIND(field, symbol)                                                                      \
    *(void **)(&api.field) = dlsym(lib, symbol);                                                 \
    if (api.field == NULL) {                                                                     \
        snprintf(load_error, sizeof load_error, "libcurl has no %s", symbol);                     \
        return;                                                                                  \
    }
    BIND(global_init, "curl_global_init")
    BIND(easy_init, "curl_easy_init")
    BIND(easy_setopt, "curl_easy_setopt")
    BIND(easy_perform, "curl_easy_perform")
    BIND(easy_getinfo, "curl_easy_getinfo")
    BIND(easy_cleanup, "curl_easy_cleanup")
    BIND(easy_strerror, "curl_easy_strerror")
    BIND(slist_append, "curl_slist_append")
    BIND(slist_free_all, "curl_slist_free_all")
#undef BIND
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed");
        return;
    }
    loaded = 1;
}

int mlc_http_load(char *error, size_t error_length) {
    pthread_once(&load_once, load);
    if (loaded) return 0;
    if (error != NULL && error_length > 0) snprintf(error, error_length, "%s", load_error);
    return -1;
}

typedef struct buffer {
    char *data;
    size_t length, capacity, limit;
    int truncated;
} buffer;

static int append(buffer *b, const char *p, size_t n) {
    if (b->length + n > b->limit) {
        n = b->limit - b->length;
        b->truncated = 1;
    }
    if (b->length + n > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 4096;
        while (cap < b->length + n) cap *= 2;
        char *d = realloc(b->data, cap);
        if (d == NULL) return -1;
        b->data = d;
        b->capacity = cap;
    }
    memcpy(b->data + b->length, p, n);
    b->length += n;
    return b->truncated ? -1 : 0;
}

static size_t on_body(char *p, size_t size, size_t count, void *user) {
    buffer *b = user;
    // Returning less than given ends the transfer: the body is cut at the limit.
    return append(b, p, size * count) == 0 ? size * count : 0;
}

static size_t on_header(char *p, size_t size, size_t count, void *user) {
    buffer *b = user;
    size_t n = size * count;
    // A new status line starts a new header block (after a 100 Continue).
    if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) b->length = 0;
    if (append(b, p, n) != 0) b->truncated = 1;
    return n;
}

int mlc_http_get(const char *url, const char *const *headers, int header_count, long timeout_ms,
                 long connect_timeout_ms, size_t max_body, mlc_http_response *out) {
    memset(out, 0, sizeof *out);
    if (mlc_http_load(out->error, sizeof out->error) != 0) {
        out->curl_code = CURLE_FAILED_INIT;
        return out->curl_code;
    }
    CURL *h = api.easy_init();
    if (h == NULL) {
        snprintf(out->error, sizeof out->error, "curl_easy_init failed");
        out->curl_code = CURLE_FAILED_INIT;
        return out->curl_code;
    }
    struct curl_slist *list = NULL;
    for (int i = 0; i < header_count; i++) list = api.slist_append(list, headers[i]);
    buffer body = {NULL, 0, 0, max_body, 0};
    buffer head = {NULL, 0, 0, 1 << 20, 0};
    api.easy_setopt(h, CURLOPT_URL, url);
    api.easy_setopt(h, CURLOPT_HTTPHEADER, list);
    api.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    api.easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    api.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    api.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    api.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    api.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    api.easy_setopt(h, CURLOPT_WRITEDATA, &body);
    api.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    api.easy_setopt(h, CURLOPT_HEADERDATA, &head);
    CURLcode rc = api.easy_perform(h);
    long status = 0;
    api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_WRITE_ERROR && body.truncated) rc = CURLE_OK;
    out->status = status;
    out->body = body.data;
    out->body_length = body.length;
    out->headers = head.data;
    out->headers_length = head.length;
    out->truncated = body.truncated;
    out->curl_code = rc;
    if (rc != CURLE_OK) snprintf(out->error, sizeof out->error, "%s", api.easy_strerror(rc));
    api.slist_free_all(list);
    api.easy_cleanup(h);
    return rc;
}

void mlc_http_response_free(mlc_http_response *r) {
    free(r->body);
    free(r->headers);
    r->body = NULL;
    r->headers = NULL;
}
