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

    /// Whether the string ends with `suffix`, lower-case ASCII bytes: what
    /// `(foldingCase ? lowercased() : self).hasSuffix(String(decoding: suffix, as: UTF8.self))`
    /// says, read from the last bytes when they and the byte before them are ASCII (an ASCII
    /// character is one byte, its own canonical form, and lower-cases to one; an ASCII byte
    /// other than CR before them ends a character), by that expression otherwise. `hasSuffix`
    /// compares characters, some 500 instructions a call. Indexed loops: `zip` over slices of
    /// the buffer cost a hook 0.85 M instructions of run-time generic metadata.
    func hasASCIISuffix(_ suffix: [UInt8], foldingCase: Bool) -> Bool {
        let byBytes = withContiguousUTF8 { s -> Bool? in
            let start = s.count - suffix.count
            // Fewer bytes than the suffix has characters: no character is shorter than a byte, and
            // none lower-cases to more ASCII characters than it has bytes.
            guard start >= 0 else { return false }
            if start > 0, s[start - 1] >= 0x80 || s[start - 1] == 0x0D { return nil }
            var k = start
            while k < s.count {
                if s[k] >= 0x80 { return nil }
                k += 1
            }
            k = 0
            while k < suffix.count {
                let a = s[start + k]
                if (foldingCase && a >= 0x41 && a <= 0x5A ? a | 0x20 : a) != suffix[k] { return false }
                k += 1
            }
            return true
        }
        return byBytes ?? (foldingCase ? lowercased() : self).hasSuffix(String(decoding: suffix, as: UTF8.self))
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

extension StringProtocol {
    /// The index of the last `/`, or nil. Found over the contiguous bytes: `utf8.lastIndex(of:)`
    /// steps back one index at a time, and the 5,000-model check spent 43 M instructions (2 %) in
    /// it, most of them naming files and folders.
    @inline(__always)
    var lastSlashIndex: String.Index? {
        let u = utf8
        guard let found = u.withContiguousStorageIfAvailable({ b -> Int? in
            // A loop of its own: `lastIndex(of:)` here compared each byte through Equatable's
            // witness, 1 % of the 5,000-model check's cycles.
            var i = b.count
            while i > 0 {
                i &-= 1
                if b[i] == UInt8(ascii: "/") { return i }
            }
            return nil
        }) else {
            // Bytes that are not contiguous (a bridged string): a plain scan.
            var last: String.Index?
            for i in u.indices where u[i] == UInt8(ascii: "/") { last = i }
            return last
        }
        return found.map { u.index(u.startIndex, offsetBy: $0) }
    }
}

extension String {
    /// Whether the last component of this path (after its last `/`, or all of it) is `name`, byte
    /// for byte: read from the path's last bytes, without cutting the component out as a string
    /// (about 1,000 instructions for a comparison of a substring with a string).
    func hasLastPathComponent(_ name: [UInt8]) -> Bool {
        let u = utf8
        var i = u.endIndex
        var k = name.count
        while k > 0 {
            guard i > u.startIndex else { return false }
            u.formIndex(before: &i)
            k -= 1
            if u[i] != name[k] { return false }
        }
        return i == u.startIndex || u[u.index(before: i)] == UInt8(ascii: "/")
    }
}
