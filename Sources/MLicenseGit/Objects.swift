internal import CGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLicenseCore

/// File modes git stores in trees and the index.
enum FileMode {
    static let tree: UInt32 = 0o040000
    static let symlink: UInt32 = 0o120000
    static let gitlink: UInt32 = 0o160000
}

extension Repository {
    /// The size of an object from its header, without loading it (`git_odb_read_header`).
    func objectSize(_ oid: git_oid) throws -> UInt64 {
        var oid = oid
        var size = 0
        var type = GIT_OBJECT_INVALID
        try check(git_odb_read_header(&size, &type, try odb(), &oid), "git_odb_read_header")
        return UInt64(size)
    }

    /// The whole content of an object; only for small objects.
    func readObject(_ oid: git_oid) throws -> [UInt8] {
        var oid = oid
        var object: OpaquePointer?
        try check(git_odb_read(&object, try odb(), &oid), "git_odb_read")
        defer { git_odb_object_free(object) }
        let count = git_odb_object_size(object)
        guard count > 0, let data = git_odb_object_data(object) else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: count))
    }

    /// The first `limit` bytes of an object without loading the rest.
    ///
    /// Read from the object files (``ObjectFileReader/head(_:limit:)``: only the first bytes of a
    /// loose object or of a blob stored whole in a pack are inflated; libgit2 1.5 cannot stream
    /// packed objects). An object those files do not hold is streamed through libgit2 when it is
    /// loose (`git_odb_open_rstream`, an alternate store) and otherwise read by `git cat-file blob`,
    /// stopped after `limit` bytes.
    func readObjectHead(_ oid: git_oid, limit: Int) throws -> [UInt8] {
        if let objectFiles, let bytes = ObjectFileReader(objectFiles).head(oid, limit: limit) { return bytes }
        if let bytes = try streamObjectHead(oid, limit: limit) { return bytes }
        return try catFileHead(oid.hex, limit: limit)
    }

    private func streamObjectHead(_ oid: git_oid, limit: Int) throws -> [UInt8]? {
        var oid = oid
        var stream: UnsafeMutablePointer<git_odb_stream>?
        var length = 0
        var type = GIT_OBJECT_INVALID
        guard git_odb_open_rstream(&stream, &length, &type, try odb(), &oid) == 0,
              let stream, let read = stream.pointee.read else {
            git_error_clear()
            return nil
        }
        defer { git_odb_stream_free(stream) }
        var bytes = [UInt8](repeating: 0, count: min(limit, length))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                read(stream, buffer.baseAddress!.assumingMemoryBound(to: CChar.self) + filled, buffer.count - filled)
            }
            if n < 0 { throw lastError(n, "git_odb_stream_read") }
            if n == 0 { break }
            filled += Int(n)
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    private func catFileHead(_ hex: String, limit: Int) throws -> [UInt8] {
        try GitCommand(gitDirectory: gitDirectory, workDirectory: nil).blobHead(hex, limit: limit)
    }

    /// Whether objects may be missing because a promisor remote holds them (a partial clone:
    /// `remote.<name>.promisor` or `extensions.partialClone`).
    var isPartialClone: Bool {
        if let cached = partialCloneCache { return cached }
        var promisor = configString("extensions.partialclone") != nil
        if !promisor { promisor = configMatches("^remote\\..*\\.promisor$") { $0 == "true" } }
        partialCloneCache = promisor
        return promisor
    }

    /// The fewest entries read from the object files.
    static let directReadMinimum = 128

    /// The snapshot records of `entries` (an index's or a tree's), in order. The blobs are read
    /// from the object files over the cores (``ObjectFiles``; through libgit2 they were read on one
    /// thread, since libgit2 serialises pack access behind its own locks: 5,000 models took 40–46 ms
    /// serial, 47–73 ms over two threads). What the object files cannot answer (a symbolic link, a
    /// GGUF header, an object they do not hold, a damaged one) is read through libgit2 afterwards,
    /// in order, so the first failure is the one a serial read reports.
    ///
    /// A few entries (a hook's model repository) are read through libgit2 alone: setting up the
    /// object files and a reader costs more there than it saves (0.3 M instructions in a hook).
    func blobFiles(_ entries: [BlobEntry]) throws -> [SnapshotFile] {
        guard entries.count >= Self.directReadMinimum, let objectFiles else {
            return try entries.map { try blobFile(path: $0.path, oid: $0.oid, mode: $0.mode, include: $0.include) }
        }
        let direct = Parallel.map(entries, parallel: true, chunkSize: ObjectFiles.chunkSize(entries.count)) { chunk in
            let reader = ObjectFileReader(objectFiles)
            return chunk.map { directBlobFile($0, reader) }
        }
        var files: [SnapshotFile] = []
        files.reserveCapacity(entries.count)
        var i = 0
        for chunk in direct {
            for file in chunk {
                let e = entries[i]
                files.append(try file ?? blobFile(path: e.path, oid: e.oid, mode: e.mode, include: e.include))
                i += 1
            }
        }
        return files
    }

    /// The snapshot record of a blob (or gitlink) met in the index or a tree.
    func blobFile(path: String, oid: git_oid, mode: UInt32, include: Bool) throws -> SnapshotFile {
        if mode == FileMode.gitlink { return SnapshotFile(path: path, size: 0, content: .submodule) }
        let size: UInt64
        do {
            size = try objectSize(oid)
        } catch let e as GitError where e.isNotFound && isPartialClone {
            // A partial clone fetches blobs on demand; mlicense stays offline. A blob it does not
            // need is listed without a size; one it needs is an error naming the way to get it.
            guard include else { return SnapshotFile(path: path, size: 0, content: .notLoaded) }
            throw GitError(function: e.function, errorClass: e.errorClass, code: e.code, message:
                "\(path) (blob \(oid.hex)) is not in this partial clone yet; `git cat-file -e \(oid.hex)` fetches it")
        }
        if mode == FileMode.symlink {
            let target = size < 1 << 16 ? try readObject(oid) : try readObjectHead(oid, limit: 1 << 16)
            return SnapshotFile(path: path, size: size, content: .symlink(target: String(decoding: target, as: UTF8.self)))
        }
        guard include else { return SnapshotFile(path: path, size: size, content: .notLoaded) }
        let source = ByteSource(
            size: size,
            readAll: { try self.readObject(oid) },
            readHead: { try self.readObjectHead(oid, limit: $0) }
        )
        let interest = FileInterest.forPath(path)
        // A GGUF header is read once per blob and run: a push of many commits that each touch the
        // model holding it reads the same blob at every commit.
        var cacheKey: String?
        if case .header(let limit) = interest {
            cacheKey = "\(oid.hex) \(limit)"
            if let cached = headerCache[cacheKey!] { return SnapshotFile(path: path, size: size, content: cached) }
        }
        // The common directory (where git-lfs keeps objects) is asked for only for a pointer.
        let content = try readContent(interest, from: source) { pointer, limit in
            lfsObjectHead(pointer, limit: limit, commonDirectory: self.commonDirectory)
        }
        if let cacheKey { headerCache[cacheKey] = content }
        return SnapshotFile(path: path, size: size, content: content)
    }
}


/// A blob listed by an index or a tree, before it is read.
struct BlobEntry: Sendable {
    var path: String
    var oid: git_oid
    var mode: UInt32
    /// Whether its content is wanted (else only its size).
    var include: Bool
}

/// What stops a direct read and sends the entry to libgit2.
private struct ReadThroughLibgit2: Error {}

/// The snapshot record of a regular blob read from the object files, as
/// ``Repository/blobFile(path:oid:mode:include:)`` reads it; nil for what it leaves to libgit2:
/// gitlinks, symbolic links, GGUF headers (cached per handle), an object the files do not hold, a
/// text too large to be read whole.
func directBlobFile(_ e: BlobEntry, _ reader: ObjectFileReader) -> SnapshotFile? {
    guard e.mode != FileMode.gitlink, e.mode != FileMode.symlink else { return nil }
    // A file not included is listed with its size, as one whose interest is its size.
    let interest = e.include ? FileInterest.forPath(e.path) : .sizeOnly
    let wanted: Int?
    switch interest {
    case .header: return nil
    case .sizeOnly: wanted = nil
    case .pointerCheck: wanted = 1023
    case .text(let limit): wanted = limit
    }
    guard let object = wanted.map({ reader.object(e.oid, limit: $0) }) ?? reader.header(e.oid).map({ ($0.kind, $0.size, nil) }),
          object.kind == .blob else { return nil }
    let source = ByteSource(
        size: UInt64(object.size),
        readAll: {
            guard let bytes = object.bytes else { throw ReadThroughLibgit2() }
            return bytes
        },
        readHead: { _ in throw ReadThroughLibgit2() }
    )
    guard let content = try? readContent(interest, from: source, lfsHead: { _, _ in nil }) else { return nil }
    return SnapshotFile(path: e.path, size: UInt64(object.size), content: content)
}
