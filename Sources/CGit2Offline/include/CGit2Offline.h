#ifndef MLICENSE_CGIT2_OFFLINE_H
#define MLICENSE_CGIT2_OFFLINE_H

/// How many times libgit2 asked mbedTLS to load TLS trust anchors and got the
/// no-op definitions of offline.c instead. After git_libgit2_init() this is 1
/// with a libgit2 built against mbedTLS (Debian's), 0 with other TLS backends.
/// mlicense reads local repositories only and never opens a network connection.
int mlicense_skipped_trust_anchor_loads(void);

/// How many times libgit2's start-up called libssh2_init() and got the no-op
/// definition of offline.c instead: 1 after git_libgit2_init() with a libgit2
/// built with libssh2 (Debian's), 0 otherwise.
int mlicense_skipped_ssh_inits(void);

/// Tells libgit2 (GIT_OPT_SET_EXTENSIONS) that mlicense reads repositories
/// with the extensions git sets for partial clones and sparse checkouts, none
/// of which changes how objects, refs or the index are stored: partialclone
/// (objects may be missing: a read fails and is reported), worktreeconfig
/// (per-worktree settings, which the hook paths take from git itself) and
/// preciousobjects (objects must not be deleted; mlicense deletes nothing).
/// objectformat (SHA-256) stays refused. Returns libgit2's result (0 = done).
int mlicense_accept_extensions(void);

/// Turns off libgit2's re-hashing of every object it reads (GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION,
/// on by default), as git itself reads objects without re-hashing them outside `git fsck`. A
/// 180 KB mlicense.lock otherwise costs a hook a SHA-1DC pass on every commit. Returns libgit2's code.
int mlicense_git_skip_hash_verification(void);

#endif
