internal import CGit2
internal import CGit2Offline
import MLicenseCore

/// A failed libgit2 call, or a failed `git` process: what failed and why.
public struct GitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failing function, e.g. `git_index_read`, or the git command that failed.
    public var function: String
    /// libgit2's error class (`git_error_t`), 0 when none was set.
    public var errorClass: Int
    /// libgit2's return code (`git_error_code`), e.g. -3 for "not found".
    public var code: Int
    /// libgit2's message from `git_error_last()`, lower-case as libgit2 writes it.
    public var message: String

    /// Creates an error.
    public init(function: String, errorClass: Int = 0, code: Int = -1, message: String) {
        self.function = function
        self.errorClass = errorClass
        self.code = code
        self.message = message
    }

    /// Whether libgit2 reported that the object, reference or path does not exist.
    public var isNotFound: Bool { code == Int(GIT_ENOTFOUND.rawValue) }

    public var description: String { "\(function): \(message)" }

    static let sha256Message = "this repository names objects by SHA-256 (extensions.objectFormat), which libgit2 1.5, the library mlicense reads git with, cannot read: only the hooks check it (through git itself); `--no-verify` skips a hook"

    /// Whether opening failed because the repository names objects by SHA-256, which only
    /// ``GitCLIReader`` reads.
    public var isSHA256Repository: Bool { message == Self.sha256Message }
}

/// The index holds unmerged entries: a merge, rebase or cherry-pick stopped on a conflict, so
/// some paths have no staged content to check.
public struct UnmergedIndexError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The unmerged paths, in index order.
    public var paths: [String]

    /// Creates the error.
    public init(paths: [String]) {
        self.paths = paths
    }

    public var description: String {
        let shown = paths.prefix(5).map(ReportText.escapedPath).joined(separator: ", ") + (paths.count > 5 ? " and \(paths.count - 5) more" : "")
        return "the index has unmerged paths (\(shown)): resolve the conflict and `git add` them, then check again; nothing was checked"
    }
}

/// A failed file-system operation while reading a work tree or a folder.
public struct FileSystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failing system call, e.g. `open`.
    public var operation: String
    /// The path it was given.
    public var path: String
    /// The system's message (`strerror`).
    public var message: String

    /// Creates an error.
    public init(operation: String, path: String, message: String) {
        self.operation = operation
        self.path = path
        self.message = message
    }

    public var description: String { "\(operation) \(path): \(message)" }
}

/// Initialises libgit2 once per process, accepting the repository extensions mlicense can read
/// (`mlicense_accept_extensions`) and reading objects without re-hashing them
/// (`mlicense_git_skip_hash_verification`); Swift runs a global's initialiser exactly once, thread-safely.
private let libgit2Initialized: Bool = git_libgit2_init() >= 0 && mlicense_accept_extensions() == 0
    && mlicense_git_skip_hash_verification() == 0

/// Makes sure libgit2 is initialised before any other call.
func ensureLibgit2() {
    _ = libgit2Initialized
}

/// How many times libgit2's start-up asked for TLS trust anchors and was answered without reading
/// the system CA bundle (1 with Debian's mbedTLS-backed libgit2 once it is initialised; 0 before,
/// or with another TLS backend). See `Sources/CGit2Offline/offline.c`.
public func skippedTrustAnchorLoads() -> Int {
    ensureLibgit2()
    return Int(mlicense_skipped_trust_anchor_loads())
}

/// How many times libgit2's start-up called `libssh2_init` and was answered without initialising
/// OpenSSL's engines (1 with Debian's libgit2, built with libssh2, once it is initialised).
public func skippedSSHInits() -> Int {
    ensureLibgit2()
    return Int(mlicense_skipped_ssh_inits())
}

/// Whether this libgit2 was built with an SSH transport.
public var libgit2HasSSH: Bool {
    ensureLibgit2()
    return git_libgit2_features() & Int32(GIT_FEATURE_SSH.rawValue) != 0
}

/// Turns a libgit2 return code into a thrown ``GitError`` when it is negative; returns it otherwise.
@discardableResult
func check(_ rc: Int32, _ function: String) throws(GitError) -> Int32 {
    guard rc < 0 else { return rc }
    throw lastError(rc, function)
}

/// The ``GitError`` for `rc` with libgit2's last message.
func lastError(_ rc: Int32, _ function: String) -> GitError {
    if let last = git_error_last() {
        let message = last.pointee.message.map { String(cString: $0) } ?? "unknown error"
        return GitError(function: function, errorClass: Int(last.pointee.klass), code: Int(rc), message: message)
    }
    return GitError(function: function, code: Int(rc), message: "libgit2 returned \(rc)")
}
