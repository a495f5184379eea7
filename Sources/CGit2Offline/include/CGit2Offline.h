#ifndef MLICENSE_CGIT2_OFFLINE_H
#define MLICENSE_CGIT2_OFFLINE_H

/// How many times libgit2 asked mbedTLS to load TLS trust anchors and got the
/// no-op definitions of offline.c instead. After git_libgit2_init() this is 1
/// with a libgit2 built against mbedTLS (Debian's), 0 with other TLS backends.
/// mlicense reads local repositories only and never opens a network connection.
int mlicense_skipped_trust_anchor_loads(void);

#endif
