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
    /// The root of the work tree.
    public let workDirectory: String
    /// The directory holding the objects and `lfs` (shared by linked worktrees).
    let commonDirectory: String

    /// The repository git finds from `path` (and the `GIT_*` variables of this process), with its
    /// work tree; throws when git finds none or it has no work tree.
    public static func open(from path: String) throws -> GitCLIReader {
        let find = GitCommand(gitDirectory: nil, workDirectory: nil)
        let out = try find.output(["-C", path, "rev-parse", "--path-format=absolute", "--show-toplevel",
                                   "--absolute-git-dir", "--git-common-dir"])
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.count == 3 else {
            throw GitError(function: "git rev-parse", message: "this repository has no work tree")
        }
        return GitCLIReader(git: GitCommand(gitDirectory: lines[1], workDirectory: lines[0]),
                            workDirectory: lines[0], commonDirectory: lines[2])
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
        return RepositorySnapshot(source: .index(path: indexFile ?? git.gitDirectory! + "/index"), files: files)
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
