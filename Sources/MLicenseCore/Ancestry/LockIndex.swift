import Dispatch
import MLicenseYAML

/// Where each entry of a lock in the layout ``LockFile/rendered()`` writes starts, found by its
/// first line (`  - id: "org/name"`), so that an entry is parsed only when it is asked for.
///
/// This reads no YAML: it only checks that the file has the writer's line layout (comments,
/// `version: 1`, `ancestors:`, then entries whose first line is `  - id: "<Hub id>"` and whose
/// other lines are indented by four spaces or more), and finds where the entries start. Each
/// entry's lines are then parsed by libyaml (MLicenseYAML) on first use.
final class LockIndex: @unchecked Sendable {
    let bytes: [UInt8]
    let path: String
    /// Lower-cased id → the entry's byte range and first line.
    let ranges: [String: (range: Range<Int>, line: Int)]
    /// The ids in file order.
    let order: [String]
    /// Entries parsed so far (nil: could not be read); guarded by `queue`.
    private var parsed: [String: LockEntry?] = [:]
    private let queue = DispatchQueue(label: "mlicense.lock-index")

    /// The index of `bytes`, or nil when they are not in the writer's layout.
    init?(_ bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
        let prefix = Array("  - id: \"".utf8)
        var ranges: [String: (Range<Int>, Int)] = [:]
        var order: [String] = []
        var sawVersion = false, inList = false
        var current: (id: String, start: Int, line: Int)?
        var line = 0
        var ok = true
        bytes.withUnsafeBufferPointer { b in
            var start = 0
            let n = b.count
            while start < n, ok {
                line += 1
                var end = start
                while end < n, b[end] != 0x0A { end += 1 }
                let text = UnsafeBufferPointer(rebasing: b[start..<end])
                func isText(_ s: String) -> Bool { text.elementsEqual(s.utf8) }
                if !inList {
                    if text.isEmpty || text.first == UInt8(ascii: "#") {
                    } else if isText("version: 1") || isText("version: \"1\"") {
                        sawVersion = true
                    } else if isText("ancestors:") {
                        inList = true
                    } else {
                        ok = false
                    }
                } else if text.count > prefix.count, text.starts(with: prefix) {
                    // `  - id: "org/name"`: a Hub id needs no escape, so the quotes hold it as is.
                    guard text.last == UInt8(ascii: "\""), let close = text[prefix.count...].firstIndex(of: UInt8(ascii: "\"")),
                          close == text.count - 1 else { ok = false; break }
                    let id = String(decoding: UnsafeBufferPointer(rebasing: text[prefix.count..<close]), as: UTF8.self)
                    guard ModelReference.classify(id) == .hub else { ok = false; break }
                    if let c = current { ranges[c.id.lowercased()] = (c.start..<start, c.line); order.append(c.id.lowercased()) }
                    current = (id, start, line)
                } else if text.count >= 4, text.prefix(4).allSatisfy({ $0 == UInt8(ascii: " ") }), current != nil {
                } else if text.isEmpty, end == n {
                } else {
                    ok = false
                }
                start = end + 1
            }
            if ok, let c = current { ranges[c.id.lowercased()] = (c.start..<n, c.line); order.append(c.id.lowercased()) }
        }
        guard ok, sawVersion, inList, !ranges.isEmpty, Set(order).count == order.count else { return nil }
        self.ranges = ranges
        self.order = order
    }

    /// The entry of `id`, parsed on first use.
    func entry(_ id: String) -> LockEntry? {
        let key = id.lowercased()
        guard let (range, line) = ranges[key] else { return nil }
        if let cached = queue.sync(execute: { parsed[key] }) { return cached }
        var entry: LockEntry?
        if let doc = try? YAML.parse(bytes, range: range, firstLine: line), let item = doc.root?.sequence?.first,
           doc.root?.sequence?.count == 1, let e = try? LockFile.entry(item, path: path), e.id.lowercased() == key {
            entry = e
        }
        queue.sync { parsed[key] = .some(entry) }
        return entry
    }

    /// Every entry that can be read, in file order.
    func all() -> [LockEntry] { order.compactMap { entry($0) } }
}
