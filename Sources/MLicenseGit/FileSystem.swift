#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLicenseCore

/// Low-level reads of files on disk that never follow symbolic links and never load more than asked.
enum FileReader {
    /// The first `limit` bytes of the file at `path` (fewer when the file is shorter).
    static func head(of path: String, limit: Int) throws -> [UInt8] {
        try head(of: DiskPath(path), limit: limit)
    }

    /// The first `limit` bytes of the file at `path`, named by its bytes (any, not only UTF-8).
    static func head(of path: DiskPath, limit: Int) throws -> [UInt8] {
        let fd = path.withCString { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { throw systemError("open", path.display) }
        defer { close(fd) }
        let (bytes, failed) = readUpTo(fd, limit: limit)
        if failed { throw systemError("read", path.display) }
        return bytes
    }

    /// Up to `limit` bytes read from `fd` (fewer at its end), retrying interrupted reads; whether a
    /// read failed (`errno` says why), with what came before the failure.
    static func readUpTo(_ fd: Int32, limit: Int) -> (bytes: [UInt8], failed: Bool) {
        var bytes = [UInt8](repeating: 0, count: limit)
        var filled = 0
        var failed = false
        while filled < limit {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, min(limit - filled, 1 << 16)) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { failed = true }
            if n <= 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return (bytes, failed)
    }

    /// The target of the symbolic link at `path`, as stored (never resolved).
    static func linkTarget(_ path: DiskPath) throws -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = path.withCString { p in buffer.withUnsafeMutableBytes { readlink(p, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) } }
        guard n >= 0 else { throw systemError("readlink", path.display) }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    static func systemError(_ operation: String, _ path: String) -> FileSystemError {
        FileSystemError(operation: operation, path: path, message: String(cString: strerror(errno)))
    }
}

/// A path on disk as its bytes: a file name need not be UTF-8, and a `String` would turn the
/// bytes that are not into U+FFFD and name another file (or none).
struct DiskPath: Sendable, Hashable {
    /// The bytes, without a terminating NUL.
    var bytes: [UInt8]

    init(_ path: String) { bytes = Array(path.utf8) }
    init(bytes: [UInt8]) { self.bytes = bytes }

    /// `self + "/" + name`.
    func appending(_ name: [UInt8]) -> DiskPath {
        DiskPath(bytes: bytes.isEmpty ? name : bytes + [UInt8(ascii: "/")] + name)
    }

    /// The path as text, invalid UTF-8 replaced (for messages and snapshot paths).
    var display: String { String(decoding: bytes, as: UTF8.self) }

    /// Calls `body` with the NUL-terminated path.
    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try (bytes + [0]).withUnsafeBufferPointer { try $0.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) } }
    }
}

/// What a directory entry is, from `lstat`.
enum EntryKind {
    case file, symlink, directory, other
}

/// What to do with a folder met while walking.
enum FolderDecision {
    /// Walk into it.
    case descend
    /// Leave it out.
    case skip
    /// Record it as a submodule (a nested repository) without walking into it.
    case submodule
}

/// The snapshot records of the entries a walk of the folder `root` keeps, read over the cores,
/// each with `include` of its path.
///
/// The walk goes depth first without following symbolic links and skips `.git` entries. `folder`
/// decides about each sub-folder (by its path relative to `root`); `keep` about every other entry,
/// by its relative path and kind. Entries that vanish while walking are skipped. The folders below
/// the first levels are walked over the cores (a monorepo's thousands of folders are thousands of
/// `opendir`, `getdents` and `fstatat` calls), so both closures run on several threads at once;
/// a small tree stays on this thread. The first failure in the walk's order is thrown, after the
/// entries met before it have been read (one of which may be the failure): a failed walk walks
/// again on this thread to find it.
func readWalk(
    root: String,
    folder: @escaping @Sendable (String, DiskPath) throws -> FolderDecision,
    keep: @escaping @Sendable (String, EntryKind) throws -> Bool,
    include: (String) -> Bool, commonDirectory: String?
) throws -> [SnapshotFile] {
    func read(_ entries: [DiskEntry]) throws -> [SnapshotFile] {
        var entries = entries
        for i in entries.indices { entries[i].include = include(entries[i].path) }
        return try readDiskEntries(entries, root: root, commonDirectory: commonDirectory)
    }
    var entries: [DiskEntry]
    do {
        entries = try walkOnCores(root: root, folder: folder, keep: keep)
    } catch {
        entries = []
        do {
            try walk([("", DiskPath(root))], folder: folder, keep: keep, into: &entries)
        } catch {
            _ = try read(entries)
            throw error
        }
        // The failure did not happen again: `entries` is the whole walk.
    }
    return try read(entries)
}

/// The kept entries of a walk from `root`, in the order `walk` would append them; the folders
/// below the first levels are walked over the cores.
private func walkOnCores(
    root: String,
    folder: @escaping @Sendable (String, DiskPath) throws -> FolderDecision,
    keep: @escaping @Sendable (String, EntryKind) throws -> Bool
) throws -> [DiskEntry] {
    // Breadth first on this thread for a few levels or until there are enough folders to share
    // out; an item list in the walk's order: a folder's own entries, then its sub-folders' walks.
    var items: [WalkItem] = [.folder("", DiskPath(root))]
    for _ in 0..<WalkSharing.levels {
        var next: [WalkItem] = []
        var folders = 0
        for item in items {
            guard case .folder(let relative, let absolute) = item else { next.append(item); continue }
            var own: [DiskEntry] = []
            let subfolders = try list(relative, absolute, folder: folder, keep: keep, into: &own)
            next += own.map { .entry($0) }
            next += subfolders.map { .folder($0.0, $0.1) }
            folders += subfolders.count
        }
        items = next
        if folders == 0 || folders >= WalkSharing.folders { break }
    }
    let shared: [(String, DiskPath)] = items.compactMap { if case .folder(let r, let a) = $0 { (r, a) } else { nil } }
    let walked = Parallel.map(shared, parallel: true, chunkSize: 1) { chunk in
        Result { () throws -> [DiskEntry] in
            var out: [DiskEntry] = []
            try walk(Array(chunk), folder: folder, keep: keep, into: &out)
            return out
        }
    }
    var out: [DiskEntry] = []
    var next = 0
    for item in items {
        switch item {
        case .entry(let e):
            out.append(e)
        case .folder:
            out += try walked[next].get()
            next += 1
        }
    }
    return out
}

/// An entry already kept, or a folder still to walk, of `walkOnCores`.
private enum WalkItem {
    case entry(DiskEntry)
    case folder(String, DiskPath)
}

/// The walk of each of `start` (relative and on-disk folder paths) in turn, on this thread: a
/// folder's kept entries, then its sub-folders' walks in order, appended to `out` (which holds
/// those met before a failure).
private func walk(
    _ start: [(String, DiskPath)],
    folder: (String, DiskPath) throws -> FolderDecision,
    keep: (String, EntryKind) throws -> Bool,
    into out: inout [DiskEntry]
) throws {
    var pending = Array(start.reversed())
    while let (relative, absolute) = pending.popLast() {
        pending += try list(relative, absolute, folder: folder, keep: keep, into: &out).reversed()
    }
}

/// `listFolder` with the entries `keep` accepts appended to `out`.
private func list(
    _ relative: String, _ absolute: DiskPath,
    folder: (String, DiskPath) throws -> FolderDecision,
    keep: (String, EntryKind) throws -> Bool,
    into out: inout [DiskEntry]
) throws -> [(String, DiskPath)] {
    try listFolder(relative, absolute, folder: folder) { path, kind, size, onDisk in
        if try keep(path, kind) { out.append(DiskEntry(path: path, absolute: onDisk, kind: kind, size: size, include: false)) }
    }
}

/// One folder of a walk: `visit` gets each of its entries that is not a folder and `folder`
/// decides about each sub-folder; the sub-folders to walk into, in order. A folder that vanished
/// lists nothing.
private func listFolder(
    _ relative: String, _ absolute: DiskPath,
    folder: (String, DiskPath) throws -> FolderDecision,
    visit: (String, EntryKind, UInt64, DiskPath) throws -> Void
) throws -> [(String, DiskPath)] {
    guard let dir = absolute.withCString({ opendir($0) }) else {
        if errno == ENOENT { return [] }
        throw FileReader.systemError("opendir", absolute.display)
    }
    defer { closedir(dir) }
    // The folder's entries in byte order of their names (readdir's order is the file
    // system's): the walk then yields paths nearly in the snapshot's order, which its sort
    // takes in one pass instead of sorting them from scratch. The sub-folders are returned in
    // that order too.
    var listed: [(name: [UInt8], isFolder: Bool)] = []
    while let entry = readdir(dir) {
        let nameBytes = withUnsafePointer(to: &entry.pointee.d_name) {
            $0.withMemoryRebound(to: UInt8.self, capacity: Int(NAME_MAX) + 1) { p in
                Array(UnsafeBufferPointer(start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))))
            }
        }
        if nameBytes == [0x2E] || nameBytes == [0x2E, 0x2E] || nameBytes == [0x2E, 0x67, 0x69, 0x74] { continue }
        listed.append((nameBytes, entry.pointee.d_type == UInt8(DT_DIR)))
    }
    listed.sort { $0.name.lexicographicallyPrecedes($1.name) }
    var folders: [(String, DiskPath)] = []
    for (nameBytes, isFolder) in listed {
        let name = String(decoding: nameBytes, as: UTF8.self)
        let path = relative.isEmpty ? name : relative + "/" + name
        let onDisk = absolute.appending(nameBytes)
        // A folder is known from the entry's type (no size is kept for one); anything else is
        // looked up relative to the open folder, not by its whole path.
        var mode: mode_t = S_IFDIR
        var size: UInt64 = 0
        if !isFolder {
            var info = stat()
            let found = (nameBytes + [0]).withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { fstatat(dirfd(dir), $0.baseAddress!, &info, AT_SYMLINK_NOFOLLOW) }
            }
            guard found == 0 else {
                if errno == ENOENT { continue }
                throw FileReader.systemError("lstat", onDisk.display)
            }
            mode = info.st_mode & S_IFMT
            size = UInt64(info.st_size)
        }
        switch mode {
        case S_IFDIR:
            switch try folder(path, onDisk) {
            case .descend: folders.append((path, onDisk))
            case .skip: break
            case .submodule: try visit(path, .directory, 0, onDisk)
            }
        case S_IFREG: try visit(path, .file, size, onDisk)
        case S_IFLNK: try visit(path, .symlink, size, onDisk)
        default: try visit(path, .other, size, onDisk)
        }
    }
    return folders
}

/// An entry a walk met, to read (of a work tree or a plain folder).
struct DiskEntry: Sendable {
    var path: String
    /// Where it is on disk (the bytes of its name, UTF-8 or not).
    var absolute: DiskPath
    var kind: EntryKind
    var size: UInt64
    var include: Bool
}

/// The snapshot records of `entries`, read in chunks over the cores (plain file reads: no
/// libgit2 call); the first entry in order that cannot be read throws, as a serial read would.
func readDiskEntries(_ entries: [DiskEntry], root: String, commonDirectory: String?) throws -> [SnapshotFile] {
    let results = Parallel.map(entries, parallel: true, chunkSize: 64) { chunk in
        chunk.map { e in
            Result { try diskFile(path: e.path, absolute: e.absolute, kind: e.kind, size: e.size, include: e.include,
                                  commonDirectory: commonDirectory) }
        }
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

/// `path` with its symbolic links resolved (`realpath`), or `path` itself when it does not exist.
func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    var s = String(cString: resolved)
    while s.count > 1, s.hasSuffix("/") { s.removeLast() }
    return s
}

/// Whether something exists at `path` (a symbolic link counts, even a dangling one).
func fileExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// Whether `path` (absolute) is a folder holding a `.git` entry: a nested repository.
func isNestedRepository(_ path: DiskPath) -> Bool {
    var info = stat()
    return path.appending(Array(".git".utf8)).withCString { lstat($0, &info) } == 0
}

/// The snapshot record of a file on disk, read by the same rules as blobs.
func diskFile(
    path: String, absolute: DiskPath, kind: EntryKind, size: UInt64, include: Bool, commonDirectory: String?
) throws -> SnapshotFile? {
    switch kind {
    case .directory:
        return SnapshotFile(path: path, size: 0, content: .submodule)
    case .symlink:
        return SnapshotFile(path: path, size: size, content: .symlink(target: try FileReader.linkTarget(absolute)))
    case .other:
        return nil
    case .file:
        guard include else { return SnapshotFile(path: path, size: size, content: .notLoaded) }
        let source = ByteSource(
            size: size,
            readAll: { try FileReader.head(of: absolute, limit: Int(size)) },
            readHead: { try FileReader.head(of: absolute, limit: $0) }
        )
        let content = try readContent(FileInterest.forPath(path), from: source) { pointer, limit in
            commonDirectory.flatMap { lfsObjectHead(pointer, limit: limit, commonDirectory: $0) }
        }
        return SnapshotFile(path: path, size: size, content: content)
    }
}

/// Snapshots of plain folders outside git.
public enum FolderSnapshot {
    /// Reads every file under `root` (symbolic links recorded, never followed; `.git` entries
    /// skipped) into a snapshot whose source is ``SnapshotSource/directory``.
    ///
    /// Every file is listed with its size; content is read only for paths `include` accepts, and
    /// then only as much as ``FileInterest/forPath(_:)`` asks for. LFS pointers are recognised but
    /// their objects are not looked up (there is no git directory).
    public static func read(root: String, include: (String) -> Bool = { _ in true }) throws -> RepositorySnapshot {
        var info = stat()
        guard stat(root, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw FileSystemError(operation: "stat", path: root, message: "not a directory")
        }
        let files = try readWalk(root: root, folder: { _, _ in .descend }, keep: { _, _ in true },
                                 include: include, commonDirectory: nil)
        return RepositorySnapshot(source: .directory, files: files)
    }
}
