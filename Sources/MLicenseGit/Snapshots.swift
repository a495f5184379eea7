internal import CGit2
import Dispatch
import MLicenseCore

extension Repository {
    /// The index file git names in `GIT_INDEX_FILE`, made absolute against the work tree root
    /// (hooks run there; plain `git commit` passes the relative `.git/index`), or nil when unset.
    public static func indexFile(fromEnvironment env: [String: String], workDirectory: String?) -> String? {
        guard let value = env["GIT_INDEX_FILE"], !value.isEmpty else { return nil }
        guard !value.hasPrefix("/"), let workDirectory else { return value }
        return workDirectory + "/" + value
    }

    /// The staged content: the files of the index.
    ///
    /// - Parameters:
    ///   - indexFile: the index file to read (see ``indexFile(fromEnvironment:workDirectory:)``);
    ///     nil reads the repository's own index.
    ///   - include: which paths to read content for; every path is listed with its blob size
    ///     (from the object header, never by loading the blob).
    /// Symbolic links are recorded with their target and submodules as such, whatever `include`
    /// says. An index with unmerged entries (a merge, rebase or cherry-pick stopped on a
    /// conflict) has no staged content for them: that throws ``UnmergedIndexError``, naming them,
    /// rather than checking one side.
    public func indexSnapshot(indexFile: String? = nil, include: (String) -> Bool = { _ in true }) throws -> RepositorySnapshot {
        let index = try openIndex(indexFile)
        var files: [SnapshotFile] = []
        var unmerged: [String] = []
        let count = git_index_entrycount(index.pointer)
        files.reserveCapacity(count)
        for i in 0..<count {
            guard let entry = git_index_get_byindex(index.pointer, i)?.pointee, let cPath = entry.path else { continue }
            let stage = (entry.flags >> 12) & 3
            let path = String(cString: cPath)
            guard stage == 0 else {
                if unmerged.last != path { unmerged.append(path) }
                continue
            }
            files.append(try blobFile(path: path, oid: entry.id, mode: entry.mode, include: include(path)))
        }
        if !unmerged.isEmpty { throw UnmergedIndexError(paths: unmerged) }
        return RepositorySnapshot(source: .index(path: index.path), files: files)
    }

    /// The files of a commit's tree (`rev` as for ``resolveCommit(_:)``), read like
    /// ``indexSnapshot(indexFile:include:)``.
    public func commitSnapshot(_ rev: String, include: (String) -> Bool = { _ in true }) throws -> RepositorySnapshot {
        let id = try resolveCommit(rev)
        let tree = try lookupTree(ofCommit: id)
        defer { git_tree_free(tree) }
        let entries = TreeEntries()
        let payload = Unmanaged.passUnretained(entries).toOpaque()
        try check(git_tree_walk(tree, GIT_TREEWALK_PRE, { root, entry, payload in
            let entries = Unmanaged<TreeEntries>.fromOpaque(payload!).takeUnretainedValue()
            let mode = git_tree_entry_filemode(entry).rawValue
            if mode != FileMode.tree {
                let name = String(cString: git_tree_entry_name(entry))
                entries.items.append((String(cString: root!) + name, git_tree_entry_id(entry).pointee, mode))
            }
            return 0
        }, payload), "git_tree_walk")
        let files = try entries.items.map { try blobFile(path: $0.path, oid: $0.oid, mode: $0.mode, include: include($0.path)) }
        return RepositorySnapshot(source: .commit(id: id), files: files)
    }

    /// The files of the work tree as they are on disk: tracked files and untracked files that
    /// git's ignore rules do not exclude, never `.git`.
    ///
    /// Symbolic links are recorded, not followed; nested repositories and submodules are recorded
    /// as ``SnapshotContent/submodule`` without walking into them. Content is read from disk for
    /// paths `include` accepts. Throws for a bare repository.
    public func worktreeSnapshot(include: (String) -> Bool = { _ in true }) throws -> RepositorySnapshot {
        guard let root = workDirectory else {
            throw GitError(function: "git_repository_workdir", message: "bare repository has no work tree")
        }
        let tracked = try TrackedPaths(index: openIndex(nil))
        let common = commonDirectory
        // The walk (and git's ignore rules) lists the entries; their content is read afterwards,
        // over the cores.
        var entries: [DiskEntry] = []
        do {
            try walkFolder(root: root, folder: { path in
                if tracked.gitlinks.contains(path) { return .submodule }
                if tracked.folders.contains(path) { return .descend }
                if try self.isIgnored(path) { return .skip }
                return isNestedRepository(root + "/" + path) ? .submodule : .descend
            }) { path, kind, size in
                guard kind != .other else { return }
                if !tracked.files.contains(path), try self.isIgnored(path) { return }
                entries.append(DiskEntry(path: path, kind: kind, size: size, include: include(path)))
            }
        } catch {
            // Reading stopped at the first failure: a file met before it that cannot be read
            // is the failure reported.
            _ = try readDiskEntries(entries, root: root, commonDirectory: common)
            throw error
        }
        return RepositorySnapshot(source: .worktree, files: try readDiskEntries(entries, root: root, commonDirectory: common))
    }

    /// Whether git's ignore rules (`.gitignore` files, `info/exclude`, `core.excludesFile`) exclude
    /// `path` (relative to the work tree root) or one of its folders.
    func isIgnored(_ path: String) throws -> Bool {
        var ignored: Int32 = 0
        try check(git_ignore_path_is_ignored(&ignored, pointer, path), "git_ignore_path_is_ignored")
        return ignored == 1
    }
}

/// Entries collected by a tree walk.
private final class TreeEntries {
    var items: [(path: String, oid: git_oid, mode: UInt32)] = []
}

/// The paths an index tracks, for walking the work tree.
private struct TrackedPaths {
    var files = Set<String>()
    var folders = Set<String>()
    var gitlinks = Set<String>()

    init(index: GitIndex) {
        for i in 0..<git_index_entrycount(index.pointer) {
            guard let entry = git_index_get_byindex(index.pointer, i)?.pointee, let cPath = entry.path else { continue }
            let path = String(cString: cPath)
            if entry.mode == FileMode.gitlink { gitlinks.insert(path); continue }
            files.insert(path)
            if path.utf8.allSatisfy({ $0 < 0x80 }) {
                // ASCII: the folders end where the slashes are.
                var end = path.utf8.count
                let bytes = Array(path.utf8)
                while let slash = bytes[..<end].lastIndex(of: UInt8(ascii: "/")) {
                    end = slash
                    guard folders.insert(String(decoding: bytes[..<end], as: UTF8.self)).inserted else { break }
                }
                continue
            }
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                guard folders.insert(String(folder)).inserted else { break }
            }
        }
    }
}

/// A work-tree entry to read.
struct DiskEntry: Sendable {
    var path: String
    var kind: EntryKind
    var size: UInt64
    var include: Bool
}

/// The snapshot records of `entries`, read in chunks over the cores (plain file reads: no
/// libgit2 call); the first entry in order that cannot be read throws, as a serial read would.
func readDiskEntries(_ entries: [DiskEntry], root: String, commonDirectory: String?) throws -> [SnapshotFile] {
    let chunkSize = 64
    let chunks = (entries.count + chunkSize - 1) / chunkSize
    @Sendable func read(_ chunk: Int) -> [Result<SnapshotFile?, any Error>] {
        entries[(chunk * chunkSize)..<min((chunk + 1) * chunkSize, entries.count)].map { e in
            Result { try diskFile(root: root, path: e.path, kind: e.kind, size: e.size, include: e.include,
                                  commonDirectory: commonDirectory) }
        }
    }
    var results: [[Result<SnapshotFile?, any Error>]]
    if chunks > 1 {
        let slots = ChunkResults(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { i in slots.set(i, read(i)) }
        results = slots.take()
    } else {
        results = (0..<chunks).map(read)
    }
    var files: [SnapshotFile] = []
    files.reserveCapacity(entries.count)
    for chunk in results {
        for r in chunk {
            if let file = try r.get() { files.append(file) }
        }
    }
    return files
}

/// One result slot per chunk; each concurrent iteration writes only its own slot, read after
/// `concurrentPerform` returns.
private final class ChunkResults: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<[Result<SnapshotFile?, any Error>]>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: [])
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ i: Int, _ value: [Result<SnapshotFile?, any Error>]) { slots[i] = value }

    func take() -> [[Result<SnapshotFile?, any Error>]] { Array(slots) }
}
