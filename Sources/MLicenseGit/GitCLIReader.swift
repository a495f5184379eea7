#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLicenseCore

/// A repository read through the git command line alone, for the one format libgit2 1.5 cannot
/// open at all: SHA-256 object names (`extensions.objectFormat = sha256`). It gives what the
/// pre-commit hook needs, the staged changes and the staged content, from `git diff-index`,
/// `git ls-files -s` and `git cat-file --batch`, by the same reading rules as ``Repository``
/// (sizes from object headers, weights never read, text up to its limit, GGUF headers only).
public struct GitCLIReader {
    let git: GitCommand
    /// The root of the work tree, nil for a bare repository.
    public let workDirectory: String?
    /// The git directory.
    public let gitDirectory: String
    /// The directory holding the objects and `lfs` (shared by linked worktrees).
    let commonDirectory: String

    /// The repository git finds from `path` (and the `GIT_*` variables of this process); throws
    /// when git finds none.
    public static func open(from path: String) throws -> GitCLIReader {
        let find = GitCommand(gitDirectory: nil, workDirectory: nil)
        let line = { (args: [String]) throws -> String in
            String(decoding: try find.output(["-C", path, "rev-parse", "--path-format=absolute"] + args), as: UTF8.self)
                .split(separator: "\n").first.map(String.init) ?? ""
        }
        let bare = try line(["--is-bare-repository"]) == "true"
        let gitDir = try line(["--absolute-git-dir"])
        let common = try line(["--git-common-dir"])
        let top = bare ? nil : try line(["--show-toplevel"])
        return GitCLIReader(git: GitCommand(gitDirectory: gitDir, workDirectory: top),
                            workDirectory: top, gitDirectory: gitDir, commonDirectory: common)
    }

    /// The paths whose staged content differs from HEAD's tree (every path of the index when HEAD
    /// is unborn), as ``Repository/stagedChanges(indexFile:)`` gives them. Sorted.
    public func stagedChanges(indexFile: String?) throws -> [String] {
        let env = indexFile.map { ["GIT_INDEX_FILE": $0] } ?? [:]
        let hasHead = (try? git.output(["rev-parse", "--verify", "-q", "HEAD"])) != nil
        let out = hasHead
            ? try git.output(["diff-index", "--cached", "--name-only", "--no-renames", "-z", "HEAD"], environment: env)
            : try git.output(["ls-files", "-z"], environment: env)
        let paths = Set(out.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The staged content, as ``Repository/indexSnapshot(indexFile:include:)`` reads it
    /// (unmerged entries throw ``UnmergedIndexError``; symbolic links are recorded, not followed).
    public func indexSnapshot(indexFile: String?, include: (String) -> Bool) throws -> RepositorySnapshot {
        let env = indexFile.map { ["GIT_INDEX_FILE": $0] } ?? [:]
        var entries: [(mode: UInt32, id: String, path: String)] = []
        var unmerged: [String] = []
        for record in try git.output(["ls-files", "-s", "-z"], environment: env).split(separator: 0) {
            guard let tab = record.firstIndex(of: 0x09) else { continue }
            let fields = record[..<tab].split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 3, let mode = UInt32(fields[0], radix: 8) else { continue }
            let path = String(decoding: record[record.index(after: tab)...], as: UTF8.self)
            if fields[2] != "0" {
                if unmerged.last != path { unmerged.append(path) }
                continue
            }
            entries.append((mode, fields[1], path))
        }
        if !unmerged.isEmpty { throw UnmergedIndexError(paths: unmerged) }
        return try snapshot(entries, source: .index(path: indexFile ?? gitDirectory + "/index"), include: include)
    }

    /// The files of a commit's tree (`git ls-tree -r`), read like ``indexSnapshot(indexFile:include:)``.
    public func commitSnapshot(_ rev: String, include: (String) -> Bool) throws -> RepositorySnapshot {
        let id = try resolveCommit(rev)
        var entries: [(mode: UInt32, id: String, path: String)] = []
        for record in try git.output(["ls-tree", "-r", "-z", "--full-tree", id]).split(separator: 0) {
            // "<mode> <type> <id>\t<path>"
            guard let tab = record.firstIndex(of: 0x09) else { continue }
            let fields = record[..<tab].split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 3, let mode = UInt32(fields[0], radix: 8) else { continue }
            entries.append((mode, fields[2], String(decoding: record[record.index(after: tab)...], as: UTF8.self)))
        }
        return try snapshot(entries, source: .commit(id: id), include: include)
    }

    /// The snapshot of index or tree entries: sizes from one `git cat-file --batch-check`, the
    /// content read whole from one `git cat-file --batch`, headers of larger files from
    /// `git cat-file blob` stopped early.
    private func snapshot(_ entries: [(mode: UInt32, id: String, path: String)], source: SnapshotSource,
                          include: (String) -> Bool) throws -> RepositorySnapshot {
        let blobs = entries.filter { $0.mode != 0o160000 }
        let sizes = try objectSizes(blobs.map(\.id))
        // The objects read whole, in one `git cat-file --batch`: what the reading rules read whole.
        var wanted: [String] = []
        for e in blobs {
            guard let size = sizes[e.id] else { continue }
            if e.mode == 0o120000 { wanted.append(e.id); continue }
            guard include(e.path) else { continue }
            switch FileInterest.forPath(e.path) {
            case .sizeOnly: break
            case .pointerCheck: if size < 1024 { wanted.append(e.id) }
            case .text(let limit), .header(let limit): if size <= UInt64(max(limit, 1023)) { wanted.append(e.id) }
            }
        }
        let contents = try objectContents(Array(Set(wanted)))
        var files: [SnapshotFile] = []
        files.reserveCapacity(entries.count)
        for e in entries {
            if e.mode == 0o160000 { files.append(SnapshotFile(path: e.path, size: 0, content: .submodule)); continue }
            guard let size = sizes[e.id] else {
                throw GitError(function: "git cat-file", message: "\(e.path) (blob \(e.id)) is not in the object store")
            }
            if e.mode == 0o120000 {
                let target = String(decoding: contents[e.id] ?? [], as: UTF8.self)
                files.append(SnapshotFile(path: e.path, size: size, content: .symlink(target: target)))
                continue
            }
            guard include(e.path) else { files.append(SnapshotFile(path: e.path, size: size, content: .notLoaded)); continue }
            let id = e.id
            let source = ByteSource(
                size: size,
                readAll: { try contents[id] ?? self.git.output(["cat-file", "blob", id]) },
                readHead: { try self.git.blobHead(id, limit: $0) }
            )
            let common = commonDirectory
            let content = try readContent(FileInterest.forPath(e.path), from: source) { pointer, limit in
                lfsObjectHead(pointer, limit: limit, commonDirectory: common)
            }
            files.append(SnapshotFile(path: e.path, size: size, content: content))
        }
        return RepositorySnapshot(source: source, files: files)
    }

    /// The sizes of `ids` from `git cat-file --batch-check` (absent for a missing object).
    func objectSizes(_ ids: [String]) throws -> [String: UInt64] {
        guard !ids.isEmpty else { return [:] }
        let out = try withInputFile(ids) { try git.output(["cat-file", "--batch-check=%(objectname) %(objectsize)"], input: $0) }
        var sizes: [String: UInt64] = [:]
        for line in out.split(separator: 0x0A) {
            let fields = line.split(separator: 0x20)
            guard fields.count == 2, let size = UInt64(String(decoding: fields[1], as: UTF8.self)) else { continue }
            sizes[String(decoding: fields[0], as: UTF8.self)] = size
        }
        return sizes
    }

    /// The whole content of `ids` from `git cat-file --batch`.
    func objectContents(_ ids: [String]) throws -> [String: [UInt8]] {
        guard !ids.isEmpty else { return [:] }
        let out = try withInputFile(ids) { try git.output(["cat-file", "--batch=%(objectname) %(objectsize)"], input: $0) }
        var contents: [String: [UInt8]] = [:]
        var i = 0
        while i < out.count, let end = out[i...].firstIndex(of: 0x0A) {
            let fields = out[i..<end].split(separator: 0x20)
            // "<id> missing" has no content.
            guard fields.count == 2, let size = Int(String(decoding: fields[1], as: UTF8.self)) else { i = end + 1; continue }
            guard end + 1 + size <= out.count else { break }
            contents[String(decoding: fields[0], as: UTF8.self)] = Array(out[(end + 1)..<(end + 1 + size)])
            i = end + 1 + size + 1
        }
        return contents
    }

    // MARK: - History, for the pre-push hook

    /// The full id of the commit `rev` names (`git rev-parse --verify rev^{commit}`).
    public func resolveCommit(_ rev: String) throws -> String {
        let out = try git.output(["rev-parse", "--verify", "-q", rev + "^{commit}"])
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: "\n")
    }

    /// Whether `rev` names a commit, or a tag of one.
    public func isCommitish(_ rev: String) -> Bool { (try? resolveCommit(rev)) != nil }

    /// The commit HEAD points at, nil when HEAD is unborn.
    public var headCommitID: String? { try? resolveCommit("HEAD") }

    /// As ``Repository/commitsToPush(localOID:remoteOID:remoteName:)``, from `git rev-list`.
    public func commitsToPush(localOID: String, remoteOID: String?, remoteName: String?) throws -> [String] {
        guard !Repository.isZeroID(localOID) else { return [] }
        return try git.commitsToPush(local: try resolveCommit(localOID),
                                     remote: remoteOID.flatMap { isCommitish($0) ? $0 : nil }, remoteName: remoteName)
    }

    /// The parents of `commit` as git sees them (none at a shallow boundary).
    public func parents(of commit: String) -> [String] {
        guard let out = try? git.output(["rev-list", "--parents", "-n", "1", commit]) else { return [] }
        return String(decoding: out, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }).dropFirst().map(String.init)
    }

    /// The paths that differ between the trees of two commits (`git diff-tree -r`), both sides of
    /// a rename. Sorted.
    public func changedPaths(from: String?, to: String) throws -> [String] {
        let args = from.map { ["diff-tree", "-r", "--no-renames", "--name-only", "-z", $0, to] }
            ?? ["diff-tree", "-r", "--root", "--no-commit-id", "--no-renames", "--name-only", "-z", to]
        let paths = Set(try git.output(args).split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Runs `body` with a temporary file holding `lines`, one per line, removed afterwards.
    private func withInputFile<R>(_ lines: [String], _ body: (String) throws -> R) throws -> R {
        var template = Array("\(TemporaryFolder.path)/mlicense-ids-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw FileReader.systemError("mkstemp", TemporaryFolder.path) }
        let path = String(cString: template)
        defer { unlink(path) }
        let bytes = Array(lines.joined(separator: "\n").utf8) + [0x0A]
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { close(fd); throw FileReader.systemError("write", path) }
            written += n
        }
        close(fd)
        return try body(path)
    }
}

extension GitCLIReader: PushedHistory, StagedIndex {}

private extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}

/// The folder for temporary files: `$TMPDIR`, else `/tmp`.
enum TemporaryFolder {
    static var path: String {
        if let t = getenv("TMPDIR"), t.pointee != 0 {
            var s = String(cString: t)
            while s.count > 1, s.hasSuffix("/") { s.removeLast() }
            return s
        }
        return "/tmp"
    }
}
