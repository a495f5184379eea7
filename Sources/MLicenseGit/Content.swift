import MLicenseCore

/// The bytes of one file, whatever holds them (a blob, a file on disk).
struct ByteSource {
    /// The size as stored.
    var size: UInt64
    /// Reads the whole file; only called for small sizes.
    var readAll: () throws -> [UInt8]
    /// Reads at most the first `n` bytes without loading the rest.
    var readHead: (_ n: Int) throws -> [UInt8]
}

/// Applies mlicense's reading rules to one file.
///
/// - `.sizeOnly` reads nothing;
/// - `.pointerCheck` reads files under 1024 bytes and keeps them only when they are LFS pointers;
/// - `.text(limit)` reads the whole file up to `limit` bytes, else its first `limit` bytes;
/// - `.header(limit)` reads the first `limit` bytes, following an LFS pointer to the local object
///   through `lfsHead`.
func readContent(
    _ interest: FileInterest,
    from source: ByteSource,
    lfsHead: (LFSPointer, Int) -> [UInt8]?
) throws -> SnapshotContent {
    let size = source.size
    switch interest {
    case .sizeOnly:
        return .notLoaded
    case .pointerCheck:
        guard size < 1024, let pointer = LFSPointer.parse(try source.readAll()) else { return .notLoaded }
        return .lfsPointer(pointer, head: nil)
    case .text(let limit):
        return size <= UInt64(limit) ? .full(try source.readAll()) : .head(try source.readHead(limit))
    case .header(let limit):
        if size < 1024 {
            let bytes = try source.readAll()
            if let pointer = LFSPointer.parse(bytes) { return .lfsPointer(pointer, head: lfsHead(pointer, limit)) }
            return bytes.count <= limit ? .full(bytes) : .head(Array(bytes.prefix(limit)))
        }
        return size <= UInt64(limit) ? .full(try source.readAll()) : .head(try source.readHead(limit))
    }
}

/// The first `limit` bytes of the LFS object for `pointer` in `<commonDirectory>/lfs/objects`, nil
/// when it is not stored locally.
func lfsObjectHead(_ pointer: LFSPointer, limit: Int, commonDirectory: String) -> [UInt8]? {
    let sha = pointer.sha256
    let path = "\(commonDirectory)/lfs/objects/\(sha.prefix(2))/\(sha.dropFirst(2).prefix(2))/\(sha)"
    return try? FileReader.head(of: path, limit: limit)
}
