internal import CGit2
import MLicenseCore

/// A git repository opened through libgit2.
///
/// Not `Sendable`: use one `Repository` per thread. The libgit2 handles it owns are freed when it
/// goes away.
public final class Repository {
    let pointer: OpaquePointer
    private var odbPointer: OpaquePointer?
    private var shallowCache: Set<String>?
    var partialCloneCache: Bool?
    /// Headers read from blobs (GGUF), by object id and limit, for the life of the handle.
    var headerCache: [String: SnapshotContent] = [:]
    /// The object files, mapped when first read (``objectFiles``).
    private var objectFilesCache: ObjectFiles??
    /// `GIT_OBJECT_DIRECTORY` when ``open(from:environment:)`` was given one.
    private var objectDirectoryOverride: String?

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        if let odbPointer { git_odb_free(odbPointer) }
        git_repository_free(pointer)
    }

    /// Opens the repository holding `path`, searching the parent folders like git does.
    ///
    /// Works for work trees, linked worktrees and bare repositories. With `honoringEnvironment`,
    /// libgit2 also follows `GIT_DIR`, `GIT_CEILING_DIRECTORIES` and the other variables git exports
    /// to hooks. Throws a ``GitError`` naming `git_repository_open_ext` when no repository is found.
    public static func discover(from path: String, honoringEnvironment: Bool = false) throws -> Repository {
        ensureLibgit2()
        var repo: OpaquePointer?
        let flags = honoringEnvironment ? GIT_REPOSITORY_OPEN_FROM_ENV.rawValue : 0
        try explained { try check(git_repository_open_ext(&repo, path, flags, nil), "git_repository_open_ext") }
        guard let repo else { throw GitError(function: "git_repository_open_ext", message: "no repository returned") }
        return Repository(pointer: repo)
    }

    /// Opens the repository a git command run in `path` with `environment` works on, as git
    /// exports it to hooks: `GIT_DIR` (relative to `path`) names the git directory, no discovery;
    /// `GIT_WORK_TREE` the work tree (the dotfiles set-up: a bare repository with a work tree, or
    /// a work tree nested in another repository's); `GIT_OBJECT_DIRECTORY` the object store.
    /// Without `GIT_DIR`, the repository is discovered from `path` as ``discover(from:honoringEnvironment:)``
    /// does. `GIT_COMMON_DIR` is honoured when it is the directory the git directory's
    /// `commondir` file names; otherwise libgit2 cannot follow it and this throws saying so.
    public static func open(from path: String, environment env: [String: String]) throws -> Repository {
        ensureLibgit2()
        func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : (path.hasSuffix("/") ? path + p : path + "/" + p) }
        let repository: Repository
        if let dir = env["GIT_DIR"], !dir.isEmpty {
            var repo: OpaquePointer?
            try explained { try check(git_repository_open_ext(&repo, absolute(dir), GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil), "git_repository_open_ext") }
            repository = Repository(pointer: repo!)
        } else {
            repository = try discover(from: path)
        }
        if let tree = env["GIT_WORK_TREE"], !tree.isEmpty {
            try check(git_repository_set_workdir(repository.pointer, absolute(tree), 0), "git_repository_set_workdir")
        }
        if let objects = env["GIT_OBJECT_DIRECTORY"], !objects.isEmpty {
            var odb: OpaquePointer?
            try check(git_odb_open(&odb, absolute(objects)), "git_odb_open")
            defer { git_odb_free(odb) }
            try check(git_repository_set_odb(repository.pointer, odb), "git_repository_set_odb")
            repository.objectDirectoryOverride = absolute(objects)
        }
        if let common = env["GIT_COMMON_DIR"], !common.isEmpty,
           realPath(absolute(common)) != realPath(repository.commonDirectory) {
            throw GitError(function: "GIT_COMMON_DIR", message: "GIT_COMMON_DIR=\(common) names another directory than \(repository.commonDirectory), which libgit2 cannot follow; run without it")
        }
        return repository
    }

    /// Runs `open`, turning libgit2's refusal of a repository format into what it means and what
    /// to do.
    private static func explained(_ open: () throws -> Void) throws {
        do {
            try open()
        } catch let e as GitError where e.message.contains("extensions.objectformat") {
            throw GitError(function: e.function, errorClass: e.errorClass, code: e.code, message: GitError.sha256Message)
        } catch let e as GitError where e.message.contains("unsupported extension name") {
            throw GitError(function: e.function, errorClass: e.errorClass, code: e.code, message:
                "\(e.message): the repository uses a format extension libgit2 1.5 cannot read, so nothing can be checked here (`--no-verify` skips the hook)")
        }
    }

    /// The git directory (`.git`, the bare repository, or `.git/worktrees/<name>`), without a trailing slash.
    public var gitDirectory: String { trimmedPath(git_repository_path(pointer)) ?? "" }

    /// The directory shared by all worktrees of the repository (objects, refs, hooks, `lfs`).
    /// The same as ``gitDirectory`` outside linked worktrees.
    public var commonDirectory: String { trimmedPath(git_repository_commondir(pointer)) ?? gitDirectory }

    /// The object store: `GIT_OBJECT_DIRECTORY` when the repository was opened with one, else
    /// `objects` in the common directory.
    public var objectsDirectory: String { objectDirectoryOverride ?? commonDirectory + "/objects" }

    /// The object store's files, for reading many objects over the cores; nil when its folder
    /// cannot be read.
    var objectFiles: ObjectFiles? {
        if let cached = objectFilesCache { return cached }
        let files = ObjectFiles(objectsDirectory: objectsDirectory)
        objectFilesCache = .some(files)
        return files
    }

    /// The root of the work tree without a trailing slash, nil for a bare repository.
    public var workDirectory: String? { trimmedPath(git_repository_workdir(pointer)) }

    /// Whether the repository has no work tree.
    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    /// Whether HEAD names a branch without commits (a fresh `git init`).
    public var isHeadUnborn: Bool { git_repository_head_unborn(pointer) == 1 }

    /// Whether the repository is a shallow clone.
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// The full hex id of the commit HEAD points at, nil when HEAD is unborn.
    public var headCommitID: String? {
        var oid = git_oid()
        guard git_reference_name_to_id(&oid, pointer, "HEAD") == 0 else { return nil }
        return oid.hex
    }

    /// Resolves a revision (`HEAD~1`, a branch or tag name, a short or full id) to the full hex id
    /// of the commit it names. Tags are peeled.
    public func resolveCommit(_ rev: String) throws -> String {
        let commit = try lookupCommit(rev)
        defer { git_commit_free(commit) }
        return git_commit_id(commit).pointee.hex
    }

    /// Whether `rev` names a commit, or a tag that peels to one (not a blob or a tree).
    public func isCommitish(_ rev: String) -> Bool {
        var object: OpaquePointer?
        guard git_revparse_single(&object, pointer, rev) == 0 else { git_error_clear(); return false }
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        guard git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0 else { git_error_clear(); return false }
        git_object_free(commit)
        return true
    }

    /// The commits at the shallow boundary (`shallow` in the common directory): git has them but
    /// not their parents. Empty for a complete clone.
    public var shallowCommits: Set<String> {
        if let shallowCache { return shallowCache }
        var commits = Set<String>()
        if isShallow, let bytes = try? FileReader.head(of: commonDirectory + "/shallow", limit: 1 << 24) {
            commits = Set(String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init))
        }
        shallowCache = commits
        return commits
    }

    /// The full hex ids of the parents of `commit`, empty for a root commit, a commit at the
    /// shallow boundary (its parents are not in the clone) or when the commit cannot be resolved.
    public func parents(of commit: String) -> [String] {
        guard let c = try? lookupCommit(commit) else { return [] }
        defer { git_commit_free(c) }
        if isShallow, shallowCommits.contains(git_commit_id(c).pointee.hex) { return [] }
        return (0..<git_commit_parentcount(c)).compactMap { git_commit_parent_id(c, $0)?.pointee.hex }
    }

    /// The value of a configuration key (e.g. `core.hooksPath`) as git reads it for this
    /// repository, nil when it is not set.
    public func configString(_ key: String) -> String? {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, pointer) == 0, let config else { return nil }
        defer { git_config_free(config) }
        var value: UnsafePointer<CChar>?
        guard git_config_get_string(&value, config, key) == 0, let value else { return nil }
        return String(cString: value)
    }

    /// Whether a configuration entry whose name matches the regular expression `pattern` has a
    /// value `accept` accepts.
    func configMatches(_ pattern: String, _ accept: (String) -> Bool) -> Bool {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, pointer) == 0, let config else { return false }
        defer { git_config_free(config) }
        var iterator: OpaquePointer?
        guard git_config_iterator_glob_new(&iterator, config, pattern) == 0 else { git_error_clear(); return false }
        defer { git_config_iterator_free(iterator) }
        var entry: UnsafeMutablePointer<git_config_entry>?
        while git_config_next(&entry, iterator) == 0, let e = entry {
            if let v = e.pointee.value, accept(String(cString: v).lowercased()) { return true }
        }
        git_error_clear()
        return false
    }

    // MARK: - Internals shared by the snapshot and change code

    /// The repository's object database, opened once.
    func odb() throws -> OpaquePointer {
        if let odbPointer { return odbPointer }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        odbPointer = odb
        return odb!
    }

    /// The commit `rev` names; the caller frees it with `git_commit_free`.
    func lookupCommit(_ rev: String) throws -> OpaquePointer {
        var object: OpaquePointer?
        try check(git_revparse_single(&object, pointer, rev), "git_revparse_single")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "git_object_peel")
        return commit!
    }

    /// The tree of the commit `rev` names; the caller frees it with `git_tree_free`.
    func lookupTree(ofCommit rev: String) throws -> OpaquePointer {
        let commit = try lookupCommit(rev)
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try check(git_commit_tree(&tree, commit), "git_commit_tree")
        return tree!
    }
}

/// An index (staging area) handle, freed on deinit.
final class GitIndex {
    let pointer: OpaquePointer
    /// The index file it was read from.
    let path: String

    init(pointer: OpaquePointer, path: String) {
        self.pointer = pointer
        self.path = path
    }

    deinit { git_index_free(pointer) }
}

extension Repository {
    /// Opens the index: the repository's own when `indexFile` is nil, else the named file.
    ///
    /// An index libgit2 1.5 cannot read (a split index, `core.splitIndex`; a sparse index,
    /// `index.sparse`; any other mandatory extension) is listed by git itself (`git ls-files -s`,
    /// which expands a sparse index) into an in-memory index with the same entries.
    func openIndex(_ indexFile: String?) throws -> GitIndex {
        do {
            return try openIndexWithLibgit2(indexFile)
        } catch let e as GitError where e.message.contains("unsupported mandatory extension") {
            return try indexListedByGit(indexFile)
        }
    }

    private func openIndexWithLibgit2(_ indexFile: String?) throws -> GitIndex {
        var index: OpaquePointer?
        if let indexFile {
            guard fileExists(indexFile) else {
                throw GitError(function: "git_index_open", code: Int(GIT_ENOTFOUND.rawValue),
                               message: "index file \(indexFile) does not exist")
            }
            try check(git_index_open(&index, indexFile), "git_index_open")
            return GitIndex(pointer: index!, path: indexFile)
        }
        try check(git_repository_index(&index, pointer), "git_repository_index")
        let handle = GitIndex(pointer: index!, path: trimmedPath(git_index_path(index)) ?? gitDirectory + "/index")
        try check(git_index_read(index, 0), "git_index_read")
        return handle
    }

    /// The index as `git ls-files -s -z` lists it (mode, object id, stage and path of every entry).
    private func indexListedByGit(_ indexFile: String?) throws -> GitIndex {
        let path = indexFile ?? gitDirectory + "/index"
        let records = try GitCommand(repository: self).output(["ls-files", "-s", "-z"],
                                                              environment: ["GIT_INDEX_FILE": path])
        var index: OpaquePointer?
        try check(git_index_new(&index), "git_index_new")
        let handle = GitIndex(pointer: index!, path: path)
        for record in records.split(separator: 0) {
            // "<mode> <id> <stage>\t<path>"
            guard let tab = record.firstIndex(of: 0x09) else { continue }
            let fields = record[..<tab].split(separator: 0x20)
            guard fields.count == 3, let mode = UInt32(String(decoding: fields[0], as: UTF8.self), radix: 8),
                  let stage = UInt16(String(decoding: fields[2], as: UTF8.self)) else { continue }
            var entry = git_index_entry()
            entry.mode = mode
            entry.id = try git_oid.parse(String(decoding: fields[1], as: UTF8.self))
            entry.flags = stage << 12
            let entryPath = Array(record[record.index(after: tab)...]) + [0]
            try entryPath.withUnsafeBufferPointer { p in
                entry.path = UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self)
                try check(git_index_add(index, &entry), "git_index_add")
            }
        }
        return handle
    }
}

extension git_oid {
    /// The full lower-case hex form.
    var hex: String {
        var copy = self
        return String(cString: git_oid_tostr_s(&copy))
    }

    /// Parses a full hex id.
    static func parse(_ hex: String) throws -> git_oid {
        var oid = git_oid()
        try check(git_oid_fromstr(&oid, hex), "git_oid_fromstr")
        return oid
    }
}

/// A path from libgit2 without its trailing slash.
func trimmedPath(_ cString: UnsafePointer<CChar>?) -> String? {
    guard let cString else { return nil }
    var path = String(cString: cString)
    while path.count > 1, path.hasSuffix("/") { path.removeLast() }
    return path
}
