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
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw systemError("open", path) }
        defer { close(fd) }
        let (bytes, failed) = readUpTo(fd, limit: limit)
        if failed { throw systemError("read", path) }
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
    static func linkTarget(_ path: String) throws -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = buffer.withUnsafeMutableBytes { readlink(path, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        guard n >= 0 else { throw systemError("readlink", path) }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    static func systemError(_ operation: String, _ path: String) -> FileSystemError {
        FileSystemError(operation: operation, path: path, message: String(cString: strerror(errno)))
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

/// Walks the folder `root` depth-first without following symbolic links, skipping `.git` entries.
///
/// `folder` decides about each sub-folder (by its path relative to `root`); `visit` gets every other
/// entry with its relative path, kind and `lstat` size. Entries that vanish while walking are skipped.
func walkFolder(
    root: String,
    folder: (String) throws -> FolderDecision,
    visit: (String, EntryKind, UInt64) throws -> Void
) throws {
    var pending = [""]
    while let relative = pending.popLast() {
        let absolute = relative.isEmpty ? root : root + "/" + relative
        guard let dir = opendir(absolute) else {
            if errno == ENOENT { continue }
            throw FileReader.systemError("opendir", absolute)
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." || name == ".git" { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(root + "/" + path, &info) == 0 else {
                if errno == ENOENT { continue }
                throw FileReader.systemError("lstat", root + "/" + path)
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                switch try folder(path) {
                case .descend: pending.append(path)
                case .skip: break
                case .submodule: try visit(path, .directory, 0)
                }
            case S_IFREG: try visit(path, .file, UInt64(info.st_size))
            case S_IFLNK: try visit(path, .symlink, UInt64(info.st_size))
            default: try visit(path, .other, UInt64(info.st_size))
            }
        }
    }
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
func isNestedRepository(_ path: String) -> Bool {
    fileExists(path + "/.git")
}

/// The snapshot record of a file on disk, read by the same rules as blobs.
func diskFile(
    root: String, path: String, kind: EntryKind, size: UInt64, include: Bool, commonDirectory: String?
) throws -> SnapshotFile? {
    let absolute = root + "/" + path
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
        var files: [SnapshotFile] = []
        try walkFolder(root: root, folder: { _ in .descend }) { path, kind, size in
            if kind == .directory { return }
            if let file = try diskFile(root: root, path: path, kind: kind, size: size,
                                       include: include(path), commonDirectory: nil) {
                files.append(file)
            }
        }
        return RepositorySnapshot(source: .directory, files: files)
    }
}
