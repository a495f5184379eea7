internal import CGit2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A repository's object files read directly: its packs (an `.idx` of version 2 and its `.pack`,
/// both mapped read-only) and its loose objects. libgit2 serialises pack access behind
/// process-wide locks, so reading a commit's many small trees and blobs through it keeps one core
/// busy; these files can be read from every core at once.
///
/// Immutable once made, so one value serves every thread; each thread reads through its own
/// ``ObjectFileReader``. It answers only what it can: an object in no pack and not loose (an
/// alternate store, a promisor remote), an index of another version, a damaged entry all give nil,
/// and the caller then asks libgit2, which reports what is wrong. Objects are not re-hashed, as
/// libgit2 does not re-hash them here either (`GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION` is off).
final class ObjectFiles: Sendable {
    /// The object types of git's object headers and pack entries.
    enum Kind: UInt8, Sendable {
        case commit = 1, tree = 2, blob = 3, tag = 4
    }

    private let directory: String
    private let packs: [Pack]
    /// The objects its readers resolved, for the life of the value.
    let bases = DeltaBaseCache()

    /// Items per chunk for reading `count` objects over the cores: 16 chunks (each thread sets up
    /// one reader per chunk, an inflater with its window), of at least `minimum` items.
    static func chunkSize(_ count: Int, minimum: Int = 16) -> Int {
        max(minimum, (count + 15) / 16)
    }

    /// The object files of `objectsDirectory`; nil when it cannot be listed.
    init?(objectsDirectory: String) {
        guard let bases = Self.packs(in: objectsDirectory) else {
            // No pack folder: only loose objects (a fresh repository).
            guard access(objectsDirectory, R_OK) == 0 else { return nil }
            directory = objectsDirectory
            packs = []
            return
        }
        directory = objectsDirectory
        packs = bases.compactMap { Pack(base: $0) }
    }

    /// The packs of `objectsDirectory`, each as its path without `.idx`, sorted; nil when it has
    /// no pack folder.
    private static func packs(in objectsDirectory: String) -> [String]? {
        guard let folder = opendir(objectsDirectory + "/pack") else { return nil }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name.hasSuffix(".idx") { names.append(String(name.dropLast(4))) }
        }
        return names.sorted().map { objectsDirectory + "/pack/" + $0 }
    }

    /// Where `id` is stored in a pack: the pack's number and the entry's offset.
    func locate(_ id: git_oid) -> (pack: Int, offset: Int)? {
        for (i, pack) in packs.enumerated() {
            if let offset = pack.offset(of: id) { return (i, offset) }
        }
        return nil
    }

    /// The loose object file of `id`, mapped; nil when there is none.
    func looseFile(_ id: git_oid) -> MappedFile? {
        // `objects/ab/cdef…`, spelled here: libgit2's `git_oid_tostr_s` writes into its own
        // per-thread state, which this reader does not touch.
        let digits = Array("0123456789abcdef".utf8)
        var name: [UInt8] = []
        name.reserveCapacity(41)
        withUnsafeBytes(of: id.id) { raw in
            for (i, byte) in raw.enumerated() {
                if i == 1 { name.append(UInt8(ascii: "/")) }
                name.append(digits[Int(byte >> 4)])
                name.append(digits[Int(byte & 0x0F)])
            }
        }
        return MappedFile(path: directory + "/" + String(decoding: name, as: UTF8.self))
    }

    fileprivate func pack(_ i: Int) -> Pack { packs[i] }

    /// The id whose 20 bytes are `bytes` (a tree entry's, a delta's base).
    static func objectID<C: Collection<UInt8>>(_ bytes: C) -> git_oid {
        var id = git_oid()
        withUnsafeMutableBytes(of: &id.id) { target in
            for (i, byte) in zip(target.indices, bytes) { target[i] = byte }
        }
        return id
    }
}

/// One thread's reader of ``ObjectFiles``: an inflater kept between objects, and the delta bases
/// resolved so far, shared by the threads that read the same files (a commit's similar cards are
/// stored as chains of deltas against each other, and one base serves many of them).
final class ObjectFileReader {
    private let files: ObjectFiles
    private let bases: DeltaBaseCache
    private let inflater = Inflater()

    /// The largest object (or delta) inflated, and the most packs a chain of deltas named by id
    /// may cross: beyond them (damaged or hostile files among them) the answer is nil and libgit2
    /// reads the object.
    static let largestObject = 1 << 28, mostPackHops = 8

    init(_ files: ObjectFiles) {
        self.files = files
        self.bases = files.bases
    }

    /// The type and size of `id` from its header, without reading the rest of a whole object
    /// (a delta's size is the first bytes of its data).
    func header(_ id: git_oid, hops: Int = 0) -> (kind: ObjectFiles.Kind, size: Int)? {
        guard hops < Self.mostPackHops else { return nil }
        if let (p, offset) = files.locate(id) { return packedHeader(p, offset, hops: hops) }
        guard let loose = files.looseFile(id) else { return nil }
        let head = withExtendedLifetime(loose) { inflater.prefix(loose.bytes[...], count: 64) }
        return head.flatMap(LooseHeader.parse).map { ($0.kind, $0.size) }
    }

    /// The type and size of `id`, and its content when it is at most `limit` bytes.
    func object(_ id: git_oid, limit wanted: Int, hops: Int = 0) -> (kind: ObjectFiles.Kind, size: Int, bytes: [UInt8]?)? {
        guard hops < Self.mostPackHops else { return nil }
        let limit = min(wanted, Self.largestObject)
        if let (p, offset) = files.locate(id) { return packedObject(p, offset, limit: limit, hops: hops) }
        guard let loose = files.looseFile(id) else { return nil }
        // The mapping stays while zlib reads it.
        return withExtendedLifetime(loose) {
            guard let head = inflater.prefix(loose.bytes[...], count: 64), let h = LooseHeader.parse(head) else { return nil }
            guard h.size <= limit else { return (h.kind, h.size, nil) }
            guard let whole = inflater.inflate(loose.bytes[...], count: h.headerLength + h.size) else { return nil }
            return (h.kind, h.size, Array(whole[h.headerLength...]))
        }
    }

    /// The first `limit` bytes of the blob `id` without inflating the rest: a 2 GB GGUF costs its
    /// header's bytes. A delta is read whole first (up to ``largestObject``).
    func head(_ id: git_oid, limit: Int) -> [UInt8]? {
        if let (p, offset) = files.locate(id) {
            let pack = files.pack(p)
            guard let entry = pack.entry(at: offset) else { return nil }
            guard let kind = entry.kind else {
                guard let o = object(id, limit: Self.largestObject), o.kind == .blob, let bytes = o.bytes else { return nil }
                return Array(bytes.prefix(limit))
            }
            guard kind == .blob else { return nil }
            return inflater.prefix(pack.data.bytes[entry.dataStart...], count: min(limit, entry.size))
        }
        guard let loose = files.looseFile(id) else { return nil }
        return withExtendedLifetime(loose) {
            guard let first = inflater.prefix(loose.bytes[...], count: 64), let h = LooseHeader.parse(first), h.kind == .blob,
                  let head = inflater.prefix(loose.bytes[...], count: h.headerLength + min(limit, h.size)) else { return nil }
            return Array(head[h.headerLength...])
        }
    }

    /// The whole content of `id` when it is at most `limit` bytes, with its type.
    func read(_ id: git_oid, limit: Int, hops: Int = 0) -> (kind: ObjectFiles.Kind, bytes: [UInt8])? {
        guard let o = object(id, limit: limit, hops: hops), let bytes = o.bytes else { return nil }
        return (o.kind, bytes)
    }

    private func packedHeader(_ p: Int, _ start: Int, hops: Int) -> (kind: ObjectFiles.Kind, size: Int)? {
        let pack = files.pack(p)
        var offset = start
        var size: Int?
        // Down the chain to the stored object for the type; the size is the first delta's.
        // (Entry headers are cheaper to parse than the shared cache is to ask.)
        for _ in 0..<Pack.maxChain {
            guard let entry = pack.entry(at: offset) else { return nil }
            if let kind = entry.kind { return (kind, size ?? entry.size) }
            if size == nil {
                guard let head = inflater.prefix(pack.data.bytes[entry.dataStart...], count: min(entry.size, 20)),
                      let sizes = Delta.sizes(head) else { return nil }
                size = sizes.result
            }
            switch base(of: entry, in: p) {
            case .here(let o)?: offset = o
            case .elsewhere(let id)?: return header(id, hops: hops + 1).flatMap { h in size.map { (h.kind, $0) } }
            case nil: return nil
            }
        }
        return nil
    }

    /// Where the base of a delta is: at an offset of the same pack, or named by an id that another
    /// pack or a loose object holds.
    private enum Base {
        case here(Int)
        case elsewhere(git_oid)
    }

    private func base(of entry: Pack.Entry, in p: Int) -> Base? {
        if let offset = entry.baseOffset { return .here(offset) }
        guard let id = entry.baseID else { return nil }
        if let (q, offset) = files.locate(id), q == p { return .here(offset) }
        return .elsewhere(id)
    }

    /// The object at `start` of pack `p`: its type and size, and its content (deltas applied)
    /// when it is at most `limit` bytes. The delta at `start` is inflated once, for its size and
    /// for applying it.
    private func packedObject(_ p: Int, _ start: Int, limit: Int, hops: Int) -> (kind: ObjectFiles.Kind, size: Int, bytes: [UInt8]?)? {
        if let cached = bases[p, start] {
            return (cached.kind, cached.bytes.count, cached.bytes.count <= limit ? cached.bytes : nil)
        }
        let pack = files.pack(p)
        guard let first = pack.entry(at: start) else { return nil }
        if let kind = first.kind {
            guard first.size <= limit else { return (kind, first.size, nil) }
            guard let bytes = inflater.inflate(pack.data.bytes[first.dataStart...], count: first.size) else { return nil }
            bases.keep(p, start, (kind, bytes))
            return (kind, first.size, bytes)
        }
        // A delta's data is at most 8 bytes for each byte it makes (a copy of one byte), plus its
        // sizes: a longer one makes more than `limit` (at most ``largestObject``, from `object`).
        guard first.size <= limit * 8 + 32,
              let data = inflater.inflate(pack.data.bytes[first.dataStart...], count: first.size),
              let sizes = Delta.sizes(data) else {
            return packedHeader(p, start, hops: hops).map { ($0.kind, $0.size, nil) }
        }
        guard sizes.result <= limit else { return packedHeader(p, start, hops: hops).map { ($0.kind, $0.size, nil) } }
        var deltas: [(offset: Int, entry: Pack.Entry)] = []
        var object: (kind: ObjectFiles.Kind, bytes: [UInt8])?
        var entry = first
        // Down the chain from the delta at `start` to a stored object, a cached one, or a base
        // elsewhere.
        chain: while true {
            switch base(of: entry, in: p) {
            case .here(let offset)?:
                if let cached = bases[p, offset] { object = cached; break chain }
                guard deltas.count < Pack.maxChain, let next = pack.entry(at: offset), next.size <= Self.largestObject else { return nil }
                if let kind = next.kind {
                    guard let bytes = inflater.inflate(pack.data.bytes[next.dataStart...], count: next.size) else { return nil }
                    object = (kind, bytes)
                    bases.keep(p, offset, (kind, bytes))
                    break chain
                }
                deltas.append((offset, next))
                entry = next
            case .elsewhere(let id)?:
                guard let base = read(id, limit: Self.largestObject, hops: hops + 1) else { return nil }
                object = base
                break chain
            case nil:
                return nil
            }
        }
        guard var result = object else { return nil }
        for (at, entry) in deltas.reversed() {
            guard let delta = inflater.inflate(pack.data.bytes[entry.dataStart...], count: entry.size),
                  let applied = Delta.apply(delta, to: result.bytes) else { return nil }
            result = (result.kind, applied)
            bases.keep(p, at, result)
        }
        guard let applied = Delta.apply(data, to: result.bytes) else { return nil }
        bases.keep(p, start, (result.kind, applied))
        return (result.kind, applied.count, applied)
    }
}

/// The objects of packs resolved so far, by pack and offset, for the readers of one repository
/// on every thread: a lock per stripe of offsets, and a budget of bytes after which a stripe
/// starts again. Arrays are shared, not copied: an object kept here is the same storage its
/// reader returned.
final class DeltaBaseCache: @unchecked Sendable {  // each stripe is touched under its lock
    private static let stripes = 8
    /// The bytes kept per stripe, and the largest object kept.
    private static let stripeLimit = 2 << 20, objectLimit = 1 << 20

    private final class Stripe {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        var objects: [Int: (kind: ObjectFiles.Kind, bytes: [UInt8])] = [:]
        var bytes = 0
        init() { pthread_mutex_init(lock, nil) }
        deinit {
            pthread_mutex_destroy(lock)
            lock.deallocate()
        }
    }

    private let stripes = (0..<DeltaBaseCache.stripes).map { _ in Stripe() }

    private func stripe(_ key: Int) -> Stripe { stripes[(key ^ key >> 7) & (Self.stripes - 1)] }

    subscript(pack: Int, offset: Int) -> (kind: ObjectFiles.Kind, bytes: [UInt8])? {
        let key = pack << 48 | offset
        let s = stripe(key)
        pthread_mutex_lock(s.lock)
        defer { pthread_mutex_unlock(s.lock) }
        return s.objects[key]
    }

    func keep(_ pack: Int, _ offset: Int, _ object: (kind: ObjectFiles.Kind, bytes: [UInt8])) {
        guard object.bytes.count <= Self.objectLimit else { return }
        let key = pack << 48 | offset
        let s = stripe(key)
        pthread_mutex_lock(s.lock)
        defer { pthread_mutex_unlock(s.lock) }
        if s.bytes + object.bytes.count > Self.stripeLimit {
            s.objects.removeAll(keepingCapacity: true)
            s.bytes = 0
        }
        if s.objects.updateValue(object, forKey: key) == nil { s.bytes += object.bytes.count }
    }
}

/// A file mapped read-only, unmapped when the value goes away.
final class MappedFile: @unchecked Sendable {  // the mapping is never written
    let bytes: UnsafeRawBufferPointer

    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0,
              let start = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0), start != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: start, count: Int(info.st_size))
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }
}

/// A pack and its index (version 2): a fan-out table of 256 counts, the sorted ids, their CRCs,
/// their 4-byte offsets (the high bit sends the larger ones to a table of 8-byte offsets).
private struct Pack: Sendable {
    let index: MappedFile
    let data: MappedFile
    let count: Int
    /// The longest delta chain followed (git's own limit for `--depth` is 4095).
    static let maxChain = 5000

    init?(base: String) {
        guard let index = MappedFile(path: base + ".idx"), let data = MappedFile(path: base + ".pack") else { return nil }
        let idx = index.bytes
        guard idx.count >= 8 + 1024 + 40, idx.prefix(8).elementsEqual([0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]) else { return nil }
        let count = Int(Self.uint32(idx, 8 + 255 * 4))
        guard idx.count >= 8 + 1024 + count * 28 + 40 else { return nil }
        let pack = data.bytes
        // The index names its pack by the pack's closing checksum, as libgit2 checks when it opens one.
        guard pack.count >= 32, pack.prefix(4).elementsEqual(Array("PACK".utf8)),
              Self.uint32(pack, 4) == 2 || Self.uint32(pack, 4) == 3,
              idx[(idx.count - 40)..<(idx.count - 20)].elementsEqual(pack[(pack.count - 20)...]) else { return nil }
        self.index = index
        self.data = data
        self.count = count
    }

    /// The offset of `id`'s entry, nil when this pack does not hold it.
    func offset(of id: git_oid) -> Int? {
        let idx = index.bytes
        var key = id
        return withUnsafeBytes(of: &key.id) { want -> Int? in
            let first = Int(want[0])
            var low = first == 0 ? 0 : Int(Self.uint32(idx, 8 + (first - 1) * 4))
            var high = Int(Self.uint32(idx, 8 + first * 4))
            guard high <= count, low <= high else { return nil }
            let names = 8 + 1024
            while low < high {
                let mid = (low + high) / 2
                let order = memcmp(idx.baseAddress! + names + mid * 20, want.baseAddress!, 20)
                if order < 0 {
                    low = mid + 1
                } else if order > 0 {
                    high = mid
                } else {
                    let small = Self.uint32(idx, names + count * 24 + mid * 4)
                    guard small & 0x8000_0000 != 0 else { return Int(small) }
                    let at = names + count * 28 + Int(small & 0x7FFF_FFFF) * 8
                    guard at + 8 <= idx.count else { return nil }
                    let large = UInt64(Self.uint32(idx, at)) << 32 | UInt64(Self.uint32(idx, at + 4))
                    return large < UInt64(Int.max) ? Int(large) : nil
                }
            }
            return nil
        }
    }

    /// A pack entry's header: its type (nil for a delta), its size (a delta's size is that of
    /// the delta data), where the compressed data starts, and a delta's base.
    struct Entry {
        var kind: ObjectFiles.Kind?
        var size: Int
        var dataStart: Int
        var baseOffset: Int?
        var baseID: git_oid?
    }

    func entry(at offset: Int) -> Entry? {
        let b = data.bytes
        guard offset >= 12, offset < b.count - 20 else { return nil }
        var i = offset
        var c = b[i]
        let type = (c >> 4) & 7
        var size = Int(c & 0x0F)
        var shift = 4
        while c & 0x80 != 0 {
            i += 1
            guard i < b.count, shift < 57 else { return nil }
            c = b[i]
            size |= Int(c & 0x7F) << shift
            shift += 7
        }
        i += 1
        switch type {
        case 1, 2, 3, 4:
            return Entry(kind: ObjectFiles.Kind(rawValue: type), size: size, dataStart: i)
        case 6:
            // The base's distance back, in git's offset encoding (each continuation adds one).
            guard i < b.count else { return nil }
            c = b[i]
            var distance = Int(c & 0x7F)
            while c & 0x80 != 0 {
                i += 1
                guard i < b.count, distance < Int.max >> 8 else { return nil }
                c = b[i]
                distance = (distance + 1) << 7 | Int(c & 0x7F)
            }
            guard distance > 0, distance < offset else { return nil }
            return Entry(kind: nil, size: size, dataStart: i + 1, baseOffset: offset - distance)
        case 7:
            guard i + 20 < b.count else { return nil }
            return Entry(kind: nil, size: size, dataStart: i + 20, baseID: ObjectFiles.objectID(b[i..<i + 20]))
        default:
            return nil
        }
    }

    static func uint32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }
}

/// A loose object's header: `<type> <size>\0`.
enum LooseHeader {
    static func parse(_ head: [UInt8]) -> (kind: ObjectFiles.Kind, size: Int, headerLength: Int)? {
        guard let space = head.firstIndex(of: UInt8(ascii: " ")), let nul = head.firstIndex(of: 0), space < nul else { return nil }
        let kinds: [(String, ObjectFiles.Kind)] = [("blob", .blob), ("tree", .tree), ("commit", .commit), ("tag", .tag)]
        guard let kind = kinds.first(where: { head[..<space].elementsEqual($0.0.utf8) })?.1,
              nul - space > 1, nul - space <= 19 else { return nil }
        var size = 0
        for d in head[(space + 1)..<nul] {
            guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") else { return nil }
            size = size * 10 + Int(d - UInt8(ascii: "0"))
        }
        return (kind, size, nul + 1)
    }
}

/// git's delta format: the base's size and the result's (7 bits a byte, low bits first), then
/// instructions that copy a range of the base (high bit set; which offset and size bytes follow
/// is in the low seven bits) or insert the next 1–127 bytes.
enum Delta {
    /// The sizes at the start of a delta.
    static func sizes(_ d: [UInt8]) -> (base: Int, result: Int, start: Int)? {
        var i = 0
        func size() -> Int? {
            var value = 0, shift = 0
            while i < d.count {
                let c = d[i]
                i += 1
                value |= Int(c & 0x7F) << shift
                if c & 0x80 == 0 { return value }
                shift += 7
                if shift > 56 { return nil }
            }
            return nil
        }
        guard let base = size(), let result = size() else { return nil }
        return (base, result, i)
    }

    /// `delta` applied to `base`; nil when it does not fit the base or its stated sizes.
    static func apply(_ d: [UInt8], to base: [UInt8]) -> [UInt8]? {
        guard let (baseSize, resultSize, start) = sizes(d), baseSize == base.count,
              resultSize <= ObjectFileReader.largestObject else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(resultSize)
        var i = start
        while i < d.count {
            let op = d[i]
            i += 1
            if op & 0x80 != 0 {
                var offset = 0, size = 0
                for bit in 0..<4 where op & (1 << bit) != 0 {
                    guard i < d.count else { return nil }
                    offset |= Int(d[i]) << (8 * bit)
                    i += 1
                }
                for bit in 0..<3 where op & (0x10 << bit) != 0 {
                    guard i < d.count else { return nil }
                    size |= Int(d[i]) << (8 * bit)
                    i += 1
                }
                if size == 0 { size = 0x10000 }
                guard offset + size <= base.count, out.count + size <= resultSize else { return nil }
                out.append(contentsOf: base[offset..<offset + size])
            } else if op != 0 {
                let n = Int(op)
                guard i + n <= d.count, out.count + n <= resultSize else { return nil }
                out.append(contentsOf: d[i..<i + n])
                i += n
            } else {
                return nil
            }
        }
        return out.count == resultSize ? out : nil
    }
}

/// A zlib inflater kept between streams (`inflateReset`); its state lives at a fixed address, as
/// zlib requires.
final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let ready: Bool

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        ready = inflateInit_(stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if ready { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The stream at the start of `input` inflated whole: nil unless it ends after exactly
    /// `count` bytes.
    func inflate(_ input: Slice<UnsafeRawBufferPointer>, count: Int) -> [UInt8]? {
        run(input, count: count, whole: true)
    }

    /// The first `count` bytes the stream at the start of `input` gives (fewer when it ends first).
    func prefix(_ input: Slice<UnsafeRawBufferPointer>, count: Int) -> [UInt8]? {
        run(input, count: count, whole: false)
    }

    private func run(_ input: Slice<UnsafeRawBufferPointer>, count: Int, whole: Bool) -> [UInt8]? {
        guard ready, inflateReset(stream) == Z_OK, let base = input.base.baseAddress else { return nil }
        var failed = false
        // One byte more than wanted, so that a whole stream that is longer than stated shows.
        let capacity = whole ? count + 1 : count
        let out = [UInt8](unsafeUninitializedCapacity: max(capacity, 1)) { buffer, produced in
            var position = input.startIndex
            // inflateReset keeps the last stream's input; this one starts at `input`.
            stream.pointee.avail_in = 0
            stream.pointee.next_out = buffer.baseAddress
            stream.pointee.avail_out = UInt32(min(capacity, Int(UInt32.max)))
            while true {
                if stream.pointee.avail_in == 0 {
                    let n = min(input.endIndex - position, 1 << 30)
                    stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + position).assumingMemoryBound(to: UInt8.self))
                    stream.pointee.avail_in = UInt32(n)
                    position += n
                }
                let rc = CGit2.inflate(stream, Z_NO_FLUSH)
                produced = capacity - Int(stream.pointee.avail_out)
                if rc == Z_STREAM_END { failed = whole && produced != count; break }
                if produced == capacity { failed = whole; break }
                if rc == Z_BUF_ERROR, stream.pointee.avail_in == 0, position < input.endIndex { continue }
                if rc != Z_OK { failed = true; break }
            }
            if produced > count { produced = count }
        }
        return failed ? nil : out
    }
}
