import Dispatch
import MLicenseYAML

/// Where each entry of a lock in the layout ``LockFile/rendered()`` writes starts, so that an
/// entry is parsed only when it is asked for.
///
/// This reads no YAML: it only checks that the file has the writer's line layout (comments,
/// `version: 1`, `ancestors:`, then entries whose first line is `  - id: "<Hub id>"`, sorted by
/// lower-cased id, and whose other lines are indented by four spaces or more), and remembers
/// where each entry starts. A lookup is a binary search over those first lines; the entry's lines
/// are then parsed by libyaml (MLicenseYAML). Nothing is allocated per entry until one is read.
final class LockIndex: @unchecked Sendable {
    let bytes: [UInt8]
    let path: String
    /// The byte offset where each entry starts (its `  - id:` line), then the file's end.
    let starts: [Int]
    /// The line number of each entry's first line.
    let lines: [Int]
    /// Entries parsed so far by position (nil inside: could not be read); guarded by `queue`.
    private var parsed: [Int: LockEntry?] = [:]
    private let queue = DispatchQueue(label: "mlicense.lock-index")

    static let idPrefix = Array("  - id: \"".utf8)

    /// The index of `bytes`, or nil when they are not in the writer's layout.
    init?(_ bytes: [UInt8], path: String) {
        // The scan reads the bytes in place: indexing the array instead took 37 % more instructions
        // (callgrind, a 20,000-entry lock: 36.7 M against 50.0 M).
        guard let found = bytes.withUnsafeBufferPointer(Self.entries) else { return nil }
        self.bytes = bytes
        self.path = path
        starts = found.starts
        lines = found.lines
    }

    /// Where each entry of `b` starts (then `b`'s end) and its line number, or nil when `b` is not
    /// in the writer's layout or has no entry.
    static func entries(_ b: UnsafeBufferPointer<UInt8>) -> (starts: [Int], lines: [Int])? {
        let prefix = idPrefix
        var starts: [Int] = []
        var lines: [Int] = []
        let n = b.count
        var start = 0, line = 0
        var sawVersion = false, inList = false
        var previous: Range<Int>?
        while start < n {
            line += 1
            var end = start
            while end < n, b[end] != 0x0A { end += 1 }
            let length = end - start
            if inList {
                if length >= 4, b[start] == 0x20, b[start + 1] == 0x20, b[start + 2] == 0x20, b[start + 3] == 0x20 {
                    guard previous != nil else { return nil }
                } else {
                    // `  - id: "org/name"`: a Hub id needs no escape, so the quotes hold it as is.
                    guard length > prefix.count + 1, b[end - 1] == UInt8(ascii: "\""),
                          zip(b[start..<start + prefix.count], prefix).allSatisfy({ $0 == $1 }) else { return nil }
                    let id = start + prefix.count..<end - 1
                    for i in id {
                        let c = b[i]
                        let word = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                        guard word || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "/") else { return nil }
                    }
                    // Sorted by lower-cased id, each once: what a binary search needs.
                    if let p = previous, compare(b, p, b, id) >= 0 { return nil }
                    previous = id
                    starts.append(start)
                    lines.append(line)
                }
            } else if length == 0 || b[start] == UInt8(ascii: "#") {
            } else if equals(b, start..<end, "version: 1") || equals(b, start..<end, "version: \"1\"") {
                sawVersion = true
            } else if equals(b, start..<end, "ancestors:") {
                guard sawVersion else { return nil }
                inList = true
            } else {
                return nil
            }
            start = end + 1
        }
        guard inList, !starts.isEmpty else { return nil }
        starts.append(n)
        return (starts, lines)
    }

    @inline(__always)
    static func equals<C: RandomAccessCollection<UInt8>>(_ b: C, _ r: Range<Int>, _ s: StaticString) -> Bool
    where C.Index == Int {
        s.withUTF8Buffer { t in b[r].elementsEqual(t) }
    }

    /// Compares two ASCII ids by their lower-cased bytes: <0, 0, >0.
    @inline(__always)
    static func compare<A: RandomAccessCollection<UInt8>, B: RandomAccessCollection<UInt8>>(
        _ a: A, _ ra: Range<Int>, _ b: B, _ rb: Range<Int>
    ) -> Int where A.Index == Int, B.Index == Int {
        func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
        var i = ra.lowerBound, j = rb.lowerBound
        while i < ra.upperBound, j < rb.upperBound {
            let x = lower(a[i]), y = lower(b[j])
            if x != y { return Int(x) - Int(y) }
            i += 1
            j += 1
        }
        return ra.count - rb.count
    }

    /// The position of `id`'s entry, by binary search.
    func position(of id: String) -> Int? {
        let key = Array(id.utf8)
        guard !key.isEmpty, key.allSatisfy({ $0 < 0x80 }) else { return nil }
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            let lineStart = starts[mid] + Self.idPrefix.count
            var end = lineStart
            while bytes[end] != UInt8(ascii: "\"") { end += 1 }
            let c = Self.compare(bytes, lineStart..<end, key, key.indices)
            if c == 0 { return mid }
            if c < 0 { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// The entry of `id`, parsed on first use.
    func entry(_ id: String) -> LockEntry? {
        guard let i = position(of: id) else { return nil }
        return entry(at: i)
    }

    func entry(at i: Int) -> LockEntry? {
        if let cached = queue.sync(execute: { parsed[i] }) { return cached }
        var entry: LockEntry?
        if let doc = try? YAML.parse(bytes, range: starts[i]..<starts[i + 1], firstLine: lines[i]),
           let items = doc.root?.sequence, items.count == 1, let e = try? LockFile.entry(items[0], path: path) {
            entry = e
        }
        queue.sync { parsed[i] = .some(entry) }
        return entry
    }

    /// Every entry that can be read, in file order.
    func all() -> [LockEntry] { (0..<starts.count - 1).compactMap { entry(at: $0) } }
}
