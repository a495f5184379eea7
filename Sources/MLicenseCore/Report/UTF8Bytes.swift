extension String {
    /// Calls `body` with the string's UTF-8 in one contiguous buffer: a native string's own storage,
    /// not a copy (a bridged string whose bytes are not contiguous is copied first).
    ///
    /// The one way the byte loops over strings (path order, id classification, fingerprints,
    /// report escaping) read a string's bytes. Stepping through `utf8` by index or iterator costs
    /// 2.4–7 times the instructions of indexing the buffer (callgrind, 5,000-model check): the
    /// JSON escaping alone went from 40 M to 271 M instructions.
    @inline(__always)
    func withContiguousUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self
        return try copy.withUTF8(body)
    }

    /// Whether the string's UTF-8 begins with `prefix`'s, byte for byte, as git compares paths
    /// (`hasPrefix` compares characters under Unicode equivalence). Over the contiguous bytes:
    /// `utf8.starts(with:)` steps two index iterators, and the 5,000-model check spent 27 M
    /// instructions in it, testing which folder a model's files are in.
    func hasUTF8Prefix(_ prefix: String) -> Bool {
        prefix.withContiguousUTF8 { p in
            withContiguousUTF8 { s in
                // Indexed, not `elementsEqual` over two slices: 6.5 -> 4.3 M instructions for
                // the 5,000-model check's 10,000 folder tests.
                guard s.count >= p.count else { return false }
                var i = 0
                while i < p.count {
                    if s[i] != p[i] { return false }
                    i += 1
                }
                return true
            }
        }
    }

    /// `lowercased()`: the string itself when it is ASCII without a capital letter (its own lower
    /// case: most paths, file names, license ids and tags), so no new string is made. Swift's
    /// `lowercased()` always builds one, allocating and validating it: some 1,000 instructions
    /// for a 30-byte id.
    var lowercasedSharingASCII: String {
        let isLower = withContiguousUTF8 { s in !s.contains { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) } }
        return isLower ? self : lowercased()
    }
}

extension Substring {
    /// `lowercased()`: a plain copy when the text is ASCII without a capital letter (a file name
    /// of up to 15 bytes is copied without allocating).
    var lowercasedSharingASCII: String {
        let isLower = utf8.withContiguousStorageIfAvailable { s in !s.contains { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) } }
        return isLower == true ? String(self) : lowercased()
    }
}

extension StringProtocol {
    /// The index of the last `/`, or nil. Found over the contiguous bytes: `utf8.lastIndex(of:)`
    /// steps back one index at a time, and the 5,000-model check spent 43 M instructions (2 %) in
    /// it, most of them naming files and folders.
    @inline(__always)
    var lastSlashIndex: String.Index? {
        let u = utf8
        guard let found = u.withContiguousStorageIfAvailable({ $0.lastIndex(of: UInt8(ascii: "/")) }) else {
            // Bytes that are not contiguous (a bridged string): a plain scan.
            var last: String.Index?
            for i in u.indices where u[i] == UInt8(ascii: "/") { last = i }
            return last
        }
        return found.map { u.index(u.startIndex, offsetBy: $0) }
    }
}
