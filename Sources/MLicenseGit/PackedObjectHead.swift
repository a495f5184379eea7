internal import CGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first bytes of an object stored whole in a pack, read from the pack itself: the object's
/// offset from the pack's `.idx` (version 2: fan-out table, binary search of the sorted ids), then
/// zlib inflates only as much of the entry as the bytes asked for need. A 2 GB GGUF in a pack
/// costs its header's bytes, not 2 GB of inflating (libgit2 1.5 can only stream loose objects,
/// and `git cat-file` inflates a packed blob whole before writing it).
///
/// Returns nil whenever it cannot answer (the object is a delta, in no local pack, an `.idx` of
/// another version, a damaged entry): the caller then asks git.
enum PackedObjectHead {
    /// The object types of a pack entry header.
    static let blobType: UInt8 = 3

    /// The first `limit` bytes of the object `id` (20 raw bytes) in the packs of `objectsDirectory`.
    static func read(id: [UInt8], limit: Int, objectsDirectory: String) -> [UInt8]? {
        guard id.count == 20, let packs = ObjectFiles.packs(in: objectsDirectory) else { return nil }
        for base in packs {
            guard let offset = offset(of: id, index: base + ".idx") else { continue }
            return entryHead(pack: base + ".pack", offset: offset, limit: limit)
        }
        return nil
    }

    /// The offset of `id` in the pack an `.idx` (version 2) describes, nil when it is not there.
    static func offset(of id: [UInt8], index path: String) -> UInt64? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let header = readAt(fd, 0, 8 + 256 * 4), header.count == 8 + 1024,
              header[0..<8].elementsEqual([0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]) else { return nil }
        func fanout(_ i: Int) -> Int { Int(bigEndian32(header, 8 + i * 4)) }
        let count = fanout(255)
        var low = id[0] == 0 ? 0 : fanout(Int(id[0]) - 1)
        var high = fanout(Int(id[0]))
        let names = UInt64(8 + 1024)
        while low < high {
            let mid = (low + high) / 2
            guard let name = readAt(fd, names + UInt64(mid) * 20, 20), name.count == 20 else { return nil }
            if name.lexicographicallyPrecedes(id) {
                low = mid + 1
            } else if id.lexicographicallyPrecedes(name) {
                high = mid
            } else {
                let offsets = names + UInt64(count) * 24  // ids, then CRC32s
                guard let small = readAt(fd, offsets + UInt64(mid) * 4, 4), small.count == 4 else { return nil }
                let value = bigEndian32(small, 0)
                guard value & 0x8000_0000 != 0 else { return UInt64(value) }
                let large = offsets + UInt64(count) * 4 + UInt64(value & 0x7FFF_FFFF) * 8
                guard let big = readAt(fd, large, 8), big.count == 8 else { return nil }
                return UInt64(bigEndian32(big, 0)) << 32 | UInt64(bigEndian32(big, 4))
            }
        }
        return nil
    }

    /// The first `limit` bytes of the blob entry at `offset` of a pack, nil for a delta entry
    /// (or anything but a blob) or a damaged one.
    static func entryHead(pack path: String, offset: UInt64, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // The entry header: type in bits 4-6 of the first byte, the size in 4 + 7n bits.
        guard let head = readAt(fd, offset, 16), !head.isEmpty else { return nil }
        let type = (head[0] >> 4) & 7
        guard type == blobType else { return nil }
        var size = UInt64(head[0] & 0x0F)
        var shift: UInt64 = 4
        var i = 0
        while head[i] & 0x80 != 0 {
            i += 1
            guard i < head.count, shift < 64 else { return nil }
            size |= UInt64(head[i] & 0x7F) << shift
            shift += 7
        }
        let wanted = Int(min(UInt64(limit), size))
        return inflateHead(fd: fd, from: offset + UInt64(i + 1), count: wanted)
    }

    /// Inflates the zlib stream starting at `start` in `fd` until `count` bytes came out (or the
    /// stream ended), reading the compressed input in 64 KiB steps.
    static func inflateHead(fd: Int32, from start: UInt64, count: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: count)
        var produced = 0
        var position = start
        var input = [UInt8](repeating: 0, count: 1 << 16)
        while produced < count {
            let n = input.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(position)) }
            guard n > 0 else { return nil }
            position += UInt64(n)
            var ended = false
            let ok: Bool = input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_in = inBuffer.baseAddress
                    stream.avail_in = UInt32(n)
                    while stream.avail_in > 0, produced < count {
                        stream.next_out = outBuffer.baseAddress! + produced
                        stream.avail_out = UInt32(count - produced)
                        let rc = inflate(&stream, Z_NO_FLUSH)
                        produced = count - Int(stream.avail_out)
                        if rc == Z_STREAM_END { ended = true; return true }
                        if rc != Z_OK { return rc == Z_BUF_ERROR && produced == count }
                    }
                    return true
                }
            }
            guard ok else { return nil }
            if ended { break }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Up to `count` bytes of `fd` at `offset`.
    private static func readAt(_ fd: Int32, _ offset: UInt64, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    private static func bigEndian32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }
}
