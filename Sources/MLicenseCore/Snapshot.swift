/// Where the files of a snapshot come from.
public enum SnapshotSource: Sendable, Hashable, CustomStringConvertible {
    /// The git index (the staged content), read from the named index file.
    case index(path: String)
    /// A commit's tree.
    case commit(id: String)
    /// The git work tree.
    case worktree
    /// A folder outside git.
    case directory

    public var description: String {
        switch self {
        case .index: return "index"
        case .commit(let id): return "commit \(id.prefix(12))"
        case .worktree: return "work tree"
        case .directory: return "directory"
        }
    }
}

/// A Git LFS pointer: the blob stands for a large object stored elsewhere.
public struct LFSPointer: Sendable, Hashable {
    /// The object id, `sha256:<64 hex>`.
    public var oid: String
    /// The size of the real object in bytes.
    public var size: UInt64

    /// Creates a pointer.
    public init(oid: String, size: UInt64) {
        self.oid = oid
        self.size = size
    }

    /// The 64 hex digits of the oid.
    public var sha256: String { oid.hasPrefix("sha256:") ? String(oid.dropFirst(7)) : oid }

    /// Parses an LFS pointer (git-lfs `docs/spec.md`): a blob smaller than 1024 bytes whose first
    /// line is `version https://git-lfs.github.com/spec/v1` (or the old hawser URL), with `oid` and
    /// `size` lines. Returns nil for anything else.
    public static func parse(_ bytes: some Collection<UInt8>) -> LFSPointer? {
        guard bytes.count < 1024 else { return nil }
        guard let text = String(validating: Array(bytes), as: UTF8.self) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first,
              first == "version https://git-lfs.github.com/spec/v1" || first == "version https://hawser.github.com/spec/v1"
        else { return nil }
        var oid: String?
        var size: UInt64?
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            switch parts[0] {
            case "oid":
                let value = String(parts[1])
                let hex = value.dropFirst("sha256:".count)
                guard value.hasPrefix("sha256:"), hex.count == 64,
                      hex.allSatisfy({ $0.isHexDigit }) else { return nil }
                oid = value
            case "size":
                guard let n = UInt64(parts[1]) else { return nil }
                size = n
            default:
                continue
            }
        }
        guard let oid, let size else { return nil }
        return LFSPointer(oid: oid, size: size)
    }
}

/// What a snapshot holds of one file.
public enum SnapshotContent: Sendable, Hashable {
    /// The whole file.
    case full([UInt8])
    /// Only the first bytes (the file is larger than what was read: a GGUF header, a huge card).
    case head([UInt8])
    /// A Git LFS pointer; `head` holds the first bytes of the real object when it was available
    /// locally and the file's header was wanted.
    case lfsPointer(LFSPointer, head: [UInt8]?)
    /// Not read: only the size is known (weights and everything else mlicense does not look into).
    case notLoaded
    /// A symbolic link; never followed.
    case symlink(target: String)
    /// A submodule (gitlink); its content is another repository.
    case submodule

    /// The bytes held, whole or head.
    public var bytes: [UInt8]? {
        switch self {
        case .full(let b), .head(let b): return b
        case .lfsPointer(_, let head): return head
        case .notLoaded, .symlink, .submodule: return nil
        }
    }
}

/// One file of a snapshot.
///
/// The fields are kept in one box (``CopyOnWriteBox``): files are sorted into model folders and
/// handed to the model reader, the lineage and the rules, and a copy then costs one reference
/// count instead of a copy of the content's cases.
public struct SnapshotFile: Sendable, Hashable {
    private struct Fields: Sendable, Hashable {
        var path: String
        var size: UInt64
        var content: SnapshotContent
    }

    private var storage: CopyOnWriteBox<Fields>

    private mutating func unique() -> CopyOnWriteBox<Fields> { .unique(&storage) }

    /// Path relative to the snapshot's root, with `/` separators.
    public var path: String {
        get { storage.fields.path }
        set { unique().fields.path = newValue }
    }
    /// Size in bytes as stored (for an LFS pointer: the pointer's size; see ``SnapshotContent``).
    public var size: UInt64 {
        get { storage.fields.size }
        set { unique().fields.size = newValue }
    }
    /// What was read.
    public var content: SnapshotContent {
        get { storage.fields.content }
        set { unique().fields.content = newValue }
    }

    /// Creates a file record.
    public init(path: String, size: UInt64, content: SnapshotContent) {
        storage = CopyOnWriteBox(Fields(path: path, size: size, content: content))
    }

    public static func == (a: SnapshotFile, b: SnapshotFile) -> Bool {
        a.storage === b.storage || a.storage.fields == b.storage.fields
    }

    public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }

    /// The size of the data the path stands for: the LFS object's size for a pointer.
    public var logicalSize: UInt64 {
        if case .lfsPointer(let p, _) = content { return p.size }
        return size
    }

    /// Whether the name ends with `.gguf` in any case: `name.lowercased().hasSuffix(".gguf")`,
    /// read from the path's last bytes (the slash before a name ends a character, so the path
    /// ends with the suffix exactly when the name does).
    public var isGGUF: Bool { path.hasASCIISuffix(Self.ggufSuffix, foldingCase: true) }

    private static let ggufSuffix = Array(".gguf".utf8)

    /// The file's name (last path component).
    public var name: Substring {
        guard let slash = path.lastSlashIndex else { return Substring(path) }
        return path[path.utf8.index(after: slash)...]
    }

    /// Whether the file is directly in `folder` ("" for the root): `folder == self.folder`
    /// without building the folder's string.
    public func isDirectly(in folder: String) -> Bool {
        let nameLength = name.utf8.count
        if folder.isEmpty { return nameLength == path.utf8.count }
        return path.utf8.count == folder.utf8.count + 1 + nameLength && path.hasUTF8Prefix(folder)
    }

    /// The folder holding the file, "" at the root.
    public var folder: String { Self.folder(of: path) }

    /// The folder holding `path`, "" at the root.
    public static func folder(of path: String) -> String {
        guard let slash = path.lastSlashIndex else { return "" }
        return String(path[..<slash])
    }
}

/// The files of a repository as one source (index, commit, work tree or folder) holds them.
///
/// Paths are sorted. Only the files that mlicense reads (``FileInterest``) carry bytes, and never
/// more than their interest's limit: a snapshot never holds a weight blob.
public struct RepositorySnapshot: Sendable {
    /// Where the files come from.
    public var source: SnapshotSource
    /// The files, sorted by path.
    public private(set) var files: [SnapshotFile]
    /// The folders, interned once: every folder holding a file and every folder above one ("" is
    /// the root, id 0). Model discovery works on these ids instead of hashing folder strings.
    let folders: FolderTable

    /// Creates a snapshot; files are sorted by path.
    public init(source: SnapshotSource, files: [SnapshotFile]) {
        self.source = source
        // A commit's tree walk and a folder listing mostly give the order already: the folder
        // table checks it in its pass over the files (a pass of its own cost the 50,000-model
        // check 18 ms of cache misses), and only files out of order are sorted (sorting copies
        // every file record) and their table made again.
        let table = FolderTable(files)
        if table.filesInOrder {
            self.files = files
            folders = table
        } else {
            let sorted = files.sorted { SourceLocation.pathPrecedes($0.path, $1.path) }
            self.files = sorted
            folders = FolderTable(sorted)
        }
    }

    /// The file at `path`, or nil.
    ///
    /// Found by halving the sorted files: a run looks up a few paths (the lock, the configuration
    /// files, the cards a fix rewrites), and an index of every path cost the 5,000-model check
    /// more than its lookups.
    public func file(_ path: String) -> SnapshotFile? {
        var low = 0, high = files.count
        while low < high {
            let mid = (low + high) / 2
            if SourceLocation.pathPrecedes(files[mid].path, path) { low = mid + 1 } else { high = mid }
        }
        guard low < files.count, files[low].path.utf8.elementsEqual(path.utf8) else { return nil }
        return files[low]
    }
}

/// The folders of a snapshot's files as small integer ids.
struct FolderTable: Sendable {
    /// Each folder's path, by id; id 0 is the root ("").
    private(set) var paths: [String] = [""]
    /// Each folder's parent id (-1 for the root).
    private(set) var parent: [Int32] = [-1]
    /// The folder id of each file, in the snapshot's order.
    private(set) var ofFile: [Int32] = []
    /// Each folder's id, by ``key(_:)`` of its path.
    private var ids: [String: Int32] = ["": 0]
    /// Whether the files came in path order (``SourceLocation/pathPrecedes(_:_:)``).
    private(set) var filesInOrder = true

    init(_ files: [SnapshotFile]) {
        // Room for a folder per two files (a monorepo of small models) without rehashing as the
        // table grows.
        ids.reserveCapacity(files.count / 2 + 1)
        ofFile.reserveCapacity(files.count)
        var last: (path: String, id: Int32)?
        var previous: String?
        for f in files {
            if filesInOrder, let previous, SourceLocation.pathPrecedes(f.path, previous) { filesInOrder = false }
            previous = f.path
            // Sorted paths put a folder's files mostly together: the previous file's folder is
            // tried before the table.
            if let last, Self.isFolder(last.path, of: f.path) {
                ofFile.append(last.id)
                continue
            }
            let folder = SnapshotFile.folder(of: f.path)
            let id = intern(folder)
            last = (folder, id)
            ofFile.append(id)
        }
    }

    /// The parent of the folder added last, and its id: sibling folders come together in path
    /// order, and the parent of a new folder is mostly that one (no path cut out and looked up).
    private var lastParent: (path: String, id: Int32)?

    /// Whether `folder` is the folder holding `path` (``SnapshotFile/folder(of:)``), without
    /// cutting that out: as long as the bytes before the path's last slash, and their prefix
    /// (bytes are compared: `hasPrefix` compares characters, some 500 instructions a path).
    private static func isFolder(_ folder: String, of path: String) -> Bool {
        let u = path.utf8
        let length = path.lastSlashIndex.map { u.distance(from: u.startIndex, to: $0) } ?? 0
        return folder.utf8.count == length && path.hasUTF8Prefix(folder)
    }

    /// The id of `folder`, adding it and the folders above it when new.
    private mutating func intern(_ folder: String) -> Int32 {
        let key = Self.key(folder)
        if let id = ids[key] { return id }
        let parentID: Int32
        if let lastParent, Self.isFolder(lastParent.path, of: folder) {
            parentID = lastParent.id
        } else {
            let parent = SnapshotFile.folder(of: folder)
            parentID = intern(parent)
            lastParent = (parent, parentID)
        }
        let id = Int32(paths.count)
        paths.append(folder)
        parent.append(parentID)
        ids[key] = id
        return id
    }

    /// The number of folders.
    var count: Int { paths.count }

    /// The id of the folder at `path`, or nil when no file is in or below it.
    func id(of path: String) -> Int32? { ids[Self.key(path)] }

    /// A folder's key in ``ids``: its path when ASCII (where `String` equality is byte equality),
    /// else a NUL (which no git path holds) and its bytes in hexadecimal. Git names folders by
    /// bytes: two whose names differ only in how an accent is encoded are two folders, and one
    /// `String` (equal under Unicode canonical equivalence). A key type of its own cost every hook
    /// 0.2 M instructions of run-time conformance lookup.
    static func key(_ path: String) -> String {
        if !path.withContiguousUTF8({ $0.contains { $0 >= 0x80 } }) { return path }
        var key = "\0"
        for b in path.utf8 {
            key.unicodeScalars.append(Unicode.Scalar(ByteBuffer.hexDigits[Int(b >> 4)]))
            key.unicodeScalars.append(Unicode.Scalar(ByteBuffer.hexDigits[Int(b & 0xF)]))
        }
        return key
    }
}

/// How much of a file mlicense wants to read.
public enum FileInterest: Sendable, Hashable {
    /// Nothing but its size.
    case sizeOnly
    /// Whether it is an LFS pointer (weights): read only blobs under 1024 bytes.
    case pointerCheck
    /// The whole text, up to `limit` bytes; beyond that the first `limit` bytes.
    case text(limit: Int)
    /// The first `limit` bytes (a binary header), following an LFS pointer to the local object.
    case header(limit: Int)

    /// The most bytes read for a card, a config or a license text.
    public static let textLimit = 4 << 20
    /// The most bytes read from the start of a GGUF file.
    public static let ggufHeaderLimit = 512 << 10

    /// What mlicense reads of the file at `path` (by name; the same rule for every source).
    public static func forPath(_ path: String) -> FileInterest {
        // The names read as text compared with the path's last bytes (cutting the name out and
        // comparing strings cost 600 instructions a file; the names are ASCII that no other text
        // is canonically equivalent to).
        if textNameBytes.contains(where: { path.hasLastPathComponent($0) }) { return .text(limit: textLimit) }
        let u = path.utf8
        let name = path[(path.lastSlashIndex.map { u.index(after: $0) } ?? u.startIndex)...]
        // An ASCII name is lower-cased byte by byte; any other the Unicode way (a Kelvin sign
        // lower-cases to `k`).
        let lower = name.utf8.allSatisfy({ $0 < 0x80 }) ? Substring(asciiLowercased(name)) : Substring(name.lowercased())
        if lower.hasPrefix("license") || lower.hasPrefix("notice") || lower.hasPrefix("copying") {
            return .text(limit: textLimit)
        }
        if lower.hasSuffix(".gguf") { return .header(limit: ggufHeaderLimit) }
        for ext in weightExtensions where lower.hasSuffix(ext) {
            return .pointerCheck
        }
        return .sizeOnly
    }

    private static let textNames = ["README.md", "config.json", "adapter_config.json", "mergekit_config.yml", "mergekit_moe_config.yml",
                                    "measurement.json", "quantize_config.json", ".mlicense.yml", ".mlicense.yaml", "mlicense.lock"]
    private static let textNameBytes = textNames.map { Array($0.utf8) }

    private static func asciiLowercased(_ s: Substring) -> String {
        String(decoding: s.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    private static let weightExtensions = [".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".msgpack", ".npz"]
}
