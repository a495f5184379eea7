internal import CGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// says; an included link mlicense reads as text (README.md) whose target is a regular file
    /// of the index inside the repository is read through (``followTextSymlinks(_:entries:include:)``).
    /// An index with unmerged entries (a merge, rebase or cherry-pick stopped on a
    /// conflict) has no staged content for them: that throws ``UnmergedIndexError``, naming them,
    /// rather than checking one side.
    public func indexSnapshot(indexFile: String? = nil, include: (String) -> Bool = { _ in true }) throws -> RepositorySnapshot {
        let index = try openIndex(indexFile)
        var files: [SnapshotFile] = []
        var items: [BlobEntry] = []
        var unmerged: [String] = []
        let count = git_index_entrycount(index.pointer)
        items.reserveCapacity(count)
        for i in 0..<count {
            guard let entry = git_index_get_byindex(index.pointer, i)?.pointee, let cPath = entry.path else { continue }
            let stage = (entry.flags >> 12) & 3
            let path = String(cString: cPath)
            guard stage == 0 else {
                if unmerged.last != path { unmerged.append(path) }
                continue
            }
            items.append(BlobEntry(path: path, oid: entry.id, mode: entry.mode, include: include(path)))
        }
        if !unmerged.isEmpty { throw UnmergedIndexError(paths: unmerged) }
        files = try blobFiles(items)
        try followTextSymlinks(&files, entries: items, include: include)
        return RepositorySnapshot(source: .index(path: index.path), files: files)
    }

    /// The files of a commit's tree (`rev` as for ``resolveCommit(_:)``), read like
    /// ``indexSnapshot(indexFile:include:)``.
    public func commitSnapshot(_ rev: String, include: (String) -> Bool = { _ in true }) throws -> RepositorySnapshot {
        let id = try resolveCommit(rev)
        let tree = try lookupTree(ofCommit: id)
        defer { git_tree_free(tree) }
        var items: [BlobEntry]
        if let objectFiles, let walked = TreeWalk.blobs(of: git_tree_id(tree).pointee, in: objectFiles) {
            items = walked
        } else {
            items = try walkWithLibgit2(tree)
        }
        for i in items.indices { items[i].include = include(items[i].path) }
        var files = try blobFiles(items)
        try followTextSymlinks(&files, entries: items, include: include)
        return RepositorySnapshot(source: .commit(id: id), files: files)
    }

    /// The blobs (and gitlinks) of `tree` in `git_tree_walk`'s pre-order.
    private func walkWithLibgit2(_ tree: OpaquePointer) throws -> [BlobEntry] {
        let entries = TreeEntries()
        let payload = Unmanaged.passUnretained(entries).toOpaque()
        try check(git_tree_walk(tree, GIT_TREEWALK_PRE, { root, entry, payload in
            let entries = Unmanaged<TreeEntries>.fromOpaque(payload!).takeUnretainedValue()
            let mode = git_tree_entry_filemode(entry).rawValue
            if mode != FileMode.tree {
                let name = String(cString: git_tree_entry_name(entry))
                entries.items.append(BlobEntry(path: entries.folder(root!) + name, oid: git_tree_entry_id(entry).pointee,
                                               mode: mode, include: false))
            }
            return 0
        }, payload), "git_tree_walk")
        return entries.items
    }

    /// The files of the work tree as they are on disk: tracked files and untracked files that
    /// git's ignore rules do not exclude, never `.git`.
    ///
    /// Symbolic links are recorded, not followed; nested repositories and submodules are recorded
    /// as ``SnapshotContent/submodule`` without walking into them. Content is read from disk for
    /// paths `include` accepts. Throws for a bare repository.
    ///
    /// `checkedFolder` (relative to the root) is a folder the user named: git's ignore rules do not
    /// apply inside it (nor to the folders holding it), as `git add -f` would take it.
    ///
    /// A symbolic link whose name mlicense reads as text (a README.md pointing at `docs/card.md`)
    /// and whose target is a regular file inside the work tree is read through; any other stays a
    /// ``SnapshotContent/symlink``.
    public func worktreeSnapshot(include: (String) -> Bool = { _ in true }, checkedFolder: String? = nil) throws -> RepositorySnapshot {
        guard let root = workDirectory else {
            throw GitError(function: "git_repository_workdir", message: "bare repository has no work tree")
        }
        let tracked = try TrackedPaths(index: openIndex(nil))
        let common = commonDirectory
        let named = checkedFolder.flatMap { $0.isEmpty ? nil : $0 }
        let ignores = IgnoreRules(self)
        // The walk (and git's ignore rules) lists the entries, over the cores in a large tree;
        // their content is read afterwards, over the cores too.
        let decide: @Sendable (String, DiskPath) throws -> FolderDecision = { path, absolute in
            if tracked.gitlinks.contains(path) { return .submodule }
            if tracked.folders.contains(path) { return .descend }
            if !isNamed(path, named), try ignores.isIgnored(path) { return .skip }
            return isNestedRepository(absolute) ? .submodule : .descend
        }
        let keep: @Sendable (String, EntryKind) throws -> Bool = { path, kind in
            try kind != .other && (tracked.files.contains(path) || isNamed(path, named) || !ignores.isIgnored(path))
        }
        var files = try readWalk(root: root, folder: decide, keep: keep, include: include, commonDirectory: common)
        followTextSymlinksOnDisk(&files, root: root, include: include, commonDirectory: common)
        return RepositorySnapshot(source: .worktree, files: files)
    }

    /// Whether git's ignore rules (`.gitignore` files, `info/exclude`, `core.excludesFile`) exclude
    /// `path` (relative to the work tree root) or one of its folders.
    func isIgnored(_ path: String) throws -> Bool {
        var ignored: Int32 = 0
        try check(git_ignore_path_is_ignored(&ignored, pointer, path), "git_ignore_path_is_ignored")
        return ignored == 1
    }
}

/// The blob each path of an index or tree names, for following symbolic links.
struct BlobTable {
    private var byPath: [String: (oid: git_oid, mode: UInt32)] = [:]

    /// The table of `entries` (of a path listed twice, the last entry).
    init(_ entries: [BlobEntry]) {
        byPath.reserveCapacity(entries.count)
        for e in entries { byPath[e.path] = (e.oid, e.mode) }
    }

    func blob(_ path: String) -> (oid: git_oid, mode: UInt32)? { byPath[path] }
}

/// The repository-relative path a symbolic link at `link` whose target is `target` points at,
/// resolved lexically (`.` and `..`); nil for an absolute target or one that leaves the root.
func symlinkTarget(link: String, target: String) -> String? {
    guard !target.isEmpty, !target.hasPrefix("/") else { return nil }
    var parts = link.split(separator: "/").dropLast().map(String.init)
    for component in target.split(separator: "/", omittingEmptySubsequences: true) {
        switch component {
        case ".": continue
        case "..":
            guard !parts.isEmpty else { return nil }
            parts.removeLast()
        default: parts.append(String(component))
        }
    }
    return parts.isEmpty ? nil : parts.joined(separator: "/")
}

/// Whether mlicense reads the file at `path` as text (cards, configs, license texts).
private func isTextInterest(_ path: String) -> Bool {
    if case .text = FileInterest.forPath(path) { return true }
    return false
}

extension Repository {
    /// Replaces each included symbolic link that mlicense reads as text, and whose target is a
    /// regular blob of the same index or tree inside the repository, by that blob's content read
    /// with the link's interest. One level: a link to a link stays a link.
    ///
    /// `entries` are the index's or tree's blobs; the table of their paths is built only when a
    /// link is to be followed (most trees have none).
    func followTextSymlinks(_ files: inout [SnapshotFile], entries: [BlobEntry], include: (String) -> Bool) throws {
        var blobs: BlobTable?
        for i in files.indices {
            guard case .symlink(let target) = files[i].content, include(files[i].path), isTextInterest(files[i].path),
                  let resolved = symlinkTarget(link: files[i].path, target: target) else { continue }
            if blobs == nil { blobs = BlobTable(entries) }
            guard let blob = blobs?.blob(resolved), blob.mode & 0o170000 == 0o100000 else { continue }
            let read = try blobFile(path: files[i].path, oid: blob.oid, mode: blob.mode, include: true)
            files[i] = read
        }
    }
}

/// ``Repository/followTextSymlinks(_:entries:include:)`` for the work tree: the target must resolve
/// (`realpath`) to a regular file inside `root`.
func followTextSymlinksOnDisk(_ files: inout [SnapshotFile], root: String, include: (String) -> Bool, commonDirectory: String) {
    let realRoot = realPath(root)
    for i in files.indices {
        guard case .symlink = files[i].content, include(files[i].path), isTextInterest(files[i].path) else { continue }
        let resolved = realPath(root + "/" + files[i].path)
        guard resolved.hasPrefix(realRoot + "/"), !resolved.hasPrefix(realRoot + "/.git/") else { continue }
        var info = stat()
        guard stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
        if let file = try? diskFile(path: files[i].path, absolute: DiskPath(resolved), kind: .file, size: UInt64(info.st_size),
                                    include: true, commonDirectory: commonDirectory) {
            files[i] = file
        }
    }
}

/// A commit's tree walked from the object files (``ObjectFiles``): the first levels on this
/// thread until there are subtrees enough to share out, then those subtrees over the cores. The
/// blobs come in `git_tree_walk`'s pre-order, with the file modes libgit2 gives
/// (`git_tree_entry_filemode`). Nil when a tree cannot be read or parsed there; libgit2 then
/// walks it and reports what is wrong.
/// How the tree walk and the folder walk share out their work: the subtrees or folders wanted
/// before the rest is walked over the cores, and the most levels walked on one thread for them.
enum WalkSharing {
    static let folders = 16, levels = 4
}

enum TreeWalk {
    private enum Item {
        case blob(BlobEntry)
        case tree(Subtree)
    }

    /// A tree and its path (with a trailing slash).
    private struct Subtree: Sendable {
        var id: git_oid
        var folder: String
    }


    static func blobs(of root: git_oid, in files: ObjectFiles) -> [BlobEntry]? {
        let reader = ObjectFileReader(files)
        var items: [Item] = [.tree(Subtree(id: root, folder: ""))]
        var subtrees: [Subtree] = []
        for _ in 0..<WalkSharing.levels {
            var next: [Item] = []
            subtrees = []
            for item in items {
                guard case .tree(let t) = item else { next.append(item); continue }
                guard let entries = read(t.id, folder: t.folder, reader) else { return nil }
                for entry in entries {
                    if case .tree(let sub) = entry { subtrees.append(sub) }
                    next.append(entry)
                }
            }
            items = next
            if subtrees.isEmpty || subtrees.count >= WalkSharing.folders { break }
        }
        let walked = Parallel.map(subtrees, parallel: true, chunkSize: ObjectFiles.chunkSize(subtrees.count, minimum: 1)) { chunk in
            let reader = ObjectFileReader(files)
            return chunk.map { t -> [BlobEntry]? in
                var out: [BlobEntry] = []
                return walk(t.id, folder: t.folder, reader, into: &out) ? out : nil
            }
        }.flatMap { $0 }
        var blobs: [BlobEntry] = []
        var next = 0
        for item in items {
            switch item {
            case .blob(let e):
                blobs.append(e)
            case .tree:
                guard let subtree = walked[next] else { return nil }
                blobs.append(contentsOf: subtree)
                next += 1
            }
        }
        return blobs
    }

    /// Appends the blobs of the tree `id` (its path `folder`, with a trailing slash) to `out`.
    private static func walk(_ id: git_oid, folder: String, _ reader: ObjectFileReader, into out: inout [BlobEntry]) -> Bool {
        guard let entries = read(id, folder: folder, reader) else { return false }
        for entry in entries {
            switch entry {
            case .blob(let e): out.append(e)
            case .tree(let sub): guard walk(sub.id, folder: sub.folder, reader, into: &out) else { return false }
            }
        }
        return true
    }

    /// The entries of the tree `id`: `<octal mode> <name>\0<20-byte id>`, each.
    private static func read(_ id: git_oid, folder: String, _ reader: ObjectFileReader) -> [Item]? {
        guard let (kind, bytes) = reader.read(id, limit: ObjectFileReader.largestObject), kind == .tree else { return nil }
        var items: [Item] = []
        var i = 0
        let n = bytes.count
        while i < n {
            var mode: UInt32 = 0
            var digits = 0
            while i < n, bytes[i] != UInt8(ascii: " ") {
                let d = bytes[i]
                guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7"), digits < 32 else { return nil }
                // libgit2 keeps the mode in 16 bits.
                mode = (mode << 3 | UInt32(d - UInt8(ascii: "0"))) & 0xFFFF
                digits += 1
                i += 1
            }
            guard digits > 0, i < n else { return nil }
            i += 1
            let nameStart = i
            while i < n, bytes[i] != 0 { i += 1 }
            guard i > nameStart, i - nameStart <= Int(UInt16.max), i + 21 <= n else { return nil }
            let name = bytes[nameStart..<i]
            let oid = ObjectFiles.objectID(bytes[(i + 1)..<(i + 21)])
            i += 21
            let normalized = normalizedMode(mode)
            if normalized == FileMode.tree {
                items.append(.tree(Subtree(id: oid, folder: entryPath(folder, name, slash: true))))
            } else {
                items.append(.blob(BlobEntry(path: entryPath(folder, name, slash: false), oid: oid, mode: normalized, include: false)))
            }
        }
        return items
    }

    /// `folder + String(decoding: name, as: UTF8.self)`, and `+ "/"` when `slash`, made in one
    /// allocation: the name decoded, then appended once or twice, cost some 900 instructions an
    /// entry (the 5,000-model check walks 15,000). Invalid UTF-8 in a name is repaired as
    /// `String(decoding:as:)` repairs it: the folder before it is valid and ends a character.
    static func entryPath(_ folder: String, _ name: ArraySlice<UInt8>, slash: Bool) -> String {
        var folder = folder
        let count = folder.utf8.count + name.count + (slash ? 1 : 0)
        return folder.withUTF8 { f in
            String(unsafeUninitializedCapacity: count) { buffer in
                _ = buffer.initialize(from: f)
                _ = UnsafeMutableBufferPointer(rebasing: buffer[f.count...]).initialize(from: name)
                if slash { buffer[count - 1] = UInt8(ascii: "/") }
                return count
            }
        }
    }

    /// The mode libgit2 reports for a tree entry's stored mode (`git_tree_entry_filemode`): a
    /// tree, an executable or plain blob, a gitlink or a symbolic link.
    static func normalizedMode(_ mode: UInt32) -> UInt32 {
        let type = mode & 0o170000
        if type == FileMode.tree { return FileMode.tree }
        if mode & 0o111 != 0 { return 0o100755 }
        if type == FileMode.gitlink { return FileMode.gitlink }
        if type == FileMode.symlink { return FileMode.symlink }
        return 0o100644
    }
}

/// Entries collected by a tree walk.
private final class TreeEntries {
    var items: [BlobEntry] = []
    /// The folder prefix of the tree being walked: git_tree_walk gives every entry its tree's
    /// path, so the string is built once per tree, not once per entry.
    private var lastRoot: [CChar] = [0]
    private var lastFolder = ""

    func folder(_ root: UnsafePointer<CChar>) -> String {
        if strcmp(root, lastRoot) != 0 {
            lastFolder = String(cString: root)
            lastRoot = Array(UnsafeBufferPointer(start: root, count: strlen(root) + 1))
        }
        return lastFolder
    }
}

/// Whether `path` is the checked folder `named`, inside it or above it (walked whatever git's
/// ignore rules say).
private func isNamed(_ path: String, _ named: String?) -> Bool {
    guard let named else { return false }
    return path == named || path.hasPrefix(named + "/") || named.hasPrefix(path + "/")
}

/// git's ignore rules of a repository for a walk over several threads: libgit2's objects may be
/// used from any thread but not from two at once, so the questions are asked one at a time (the
/// repository is not otherwise used while the walk runs).
private final class IgnoreRules: @unchecked Sendable {
    private let repository: Repository
    private let queue = DispatchQueue(label: "mlicense.ignore-rules")

    init(_ repository: Repository) { self.repository = repository }

    func isIgnored(_ path: String) throws -> Bool {
        try queue.sync { try repository.isIgnored(path) }
    }
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
