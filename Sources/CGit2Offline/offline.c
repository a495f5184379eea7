/*
 * mlicense never talks to a network: it reads the index, commits and the work
 * tree of a local repository through libgit2. Debian's libgit2 is built with
 * mbedTLS, and git_libgit2_init() parses the whole system CA bundle
 * (/etc/ssl/certs/ca-certificates.crt, ~140 certificates of base64 PEM) on
 * every start, whether or not a TLS connection ever follows. On a 2-core
 * machine that is ~4-5 ms, a third of a pre-commit hook's run
 * (Benchmarks/RESULTS.md).
 *
 * The executable defines the two mbedTLS functions libgit2 calls to load trust
 * anchors, so the bundle is never read. With libgit2 linked statically (the
 * default, Package.swift) the linker binds libgit2's calls to these definitions
 * rather than to the shared libmbedx509; with libgit2.so the dynamic linker does
 * the same at load time, because the executable comes first in the symbol
 * lookup order (ELF symbol interposition).
 * They report "no certificates added": libgit2 then holds an empty CA chain,
 * so if a TLS connection were ever attempted, every server certificate would
 * fail verification. The process fails closed; it never trusts anything it
 * did not check.
 *
 * With a libgit2 built against OpenSSL (lazy CA loading) or without HTTPS,
 * these definitions are simply never called.
 */

#include "CGit2Offline.h"

static int skipped_loads = 0;

/* MLICENSE_LOAD_TRUST_ANCHORS (`MLICENSE_TRUST_ANCHORS=load swift build`) leaves mbedTLS's own
 * loaders in place, to measure what they cost (Benchmarks/experiments.sh). */
#ifndef MLICENSE_LOAD_TRUST_ANCHORS
int mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    (void)chain;
    (void)path;
    skipped_loads += 1;
    return 0;
}

int mbedtls_x509_crt_parse_path(void *chain, const char *path) {
    (void)chain;
    (void)path;
    skipped_loads += 1;
    return 0;
}

#endif

int mlicense_skipped_trust_anchor_loads(void) {
    return skipped_loads;
}

/*
 * libssh2, for libgit2's SSH transport: git_libgit2_init() calls libssh2_init(),
 * which initialises OpenSSL's crypto engines (ENGINE_load_builtin_engines:
 * ~1 M instructions, a tenth of a pre-commit hook's). mlicense never opens an
 * SSH transport. The executable defines libssh2's three start-up functions, as
 * above, so the initialisation does not run; with libssh2 linked statically they
 * stand in for the archive's global.o, which holds these three and nothing else
 * any other object of the archive needs. Were a session ever started, OpenSSL 1.1
 * and later initialise themselves on first use.
 */
static int skipped_ssh_inits = 0;

int libssh2_init(int flags) {
    (void)flags;
    skipped_ssh_inits += 1;
    return 0;
}

void libssh2_exit(void) {}

void _libssh2_init_if_needed(void) {}

int mlicense_skipped_ssh_inits(void) {
    return skipped_ssh_inits;
}

/*
 * libgit2's start-up settings that need git_libgit2_opts, which is variadic and so cannot be
 * called from Swift: the repository extensions mlicense reads (see CGit2Offline.h).
 */
#include <git2.h>

int mlicense_accept_extensions(void) {
    static const char *extensions[] = { "partialclone", "worktreeconfig", "preciousobjects" };
    return git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, extensions, sizeof extensions / sizeof *extensions);
}

int mlicense_git_skip_hash_verification(void) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}
