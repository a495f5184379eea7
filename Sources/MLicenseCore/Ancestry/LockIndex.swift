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
        self.bytes = bytes
        self.path = path
        let prefix = Self.idPrefix
        var starts: [Int] = []
        var lines: [Int] = []
        let ok = bytes.withUnsafeBufferPointer { b -> Bool in
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
                        guard previous != nil else { return false }
                    } else {
                        // `  - id: "org/name"`: a Hub id needs no escape, so the quotes hold it as is.
                        guard length > prefix.count + 1, b[end - 1] == UInt8(ascii: "\""),
                              zip(b[start..<start + prefix.count], prefix).allSatisfy({ $0 == $1 }) else { return false }
                        let id = start + prefix.count..<end - 1
                        for i in id {
                            let c = b[i]
                            let word = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                            guard word || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "/") else { return false }
                        }
                        // Sorted by lower-cased id, each once: what a binary search needs.
                        if let p = previous, Self.compare(b, p, b, id) >= 0 { return false }
                        previous = id
                        starts.append(start)
                        lines.append(line)
                    }
                } else if length == 0 || b[start] == UInt8(ascii: "#") {
                } else if Self.equals(b, start..<end, "version: 1") || Self.equals(b, start..<end, "version: \"1\"") {
                    sawVersion = true
                } else if Self.equals(b, start..<end, "ancestors:") {
                    guard sawVersion else { return false }
                    inList = true
                } else {
                    return false
                }
                start = end + 1
            }
            return inList
        }
        guard ok, !starts.isEmpty else { return nil }
        starts.append(bytes.count)
        self.starts = starts
        self.lines = lines
    }

    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ s: StaticString) -> Bool {
        guard r.count == s.utf8CodeUnitCount else { return false }
        return s.withUTF8Buffer { t in zip(b[r], t).allSatisfy { $0 == $1 } }
    }

    /// Compares two ASCII ids by their lower-cased bytes: <0, 0, >0.
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ ra: Range<Int>, _ b: UnsafeBufferPointer<UInt8>, _ rb: Range<Int>) -> Int {
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
        var key = Array(id.utf8)
        guard !key.isEmpty, key.allSatisfy({ $0 < 0x80 }) else { return nil }
        return bytes.withUnsafeBufferPointer { b -> Int? in
            key.withUnsafeMutableBufferPointer { k -> Int? in
                let kk = UnsafeBufferPointer(k)
                var lo = 0, hi = starts.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    let lineStart = starts[mid] + Self.idPrefix.count
                    var end = lineStart
                    while b[end] != UInt8(ascii: "\"") { end += 1 }
                    let c = Self.compare(b, lineStart..<end, kk, 0..<kk.count)
                    if c == 0 { return mid }
                    if c < 0 { lo = mid + 1 } else { hi = mid }
                }
                return nil
            }
        }
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
