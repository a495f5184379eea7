/// A growing buffer of UTF-8 bytes: the reports are written into one buffer, not built from many
/// small strings. With a sink, a full buffer is handed to the sink and reused instead of growing, so
/// a report of any size is written through a few cache-resident kilobytes.
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The bytes written and not yet handed to the sink.
    private(set) var count = 0
    /// Where full buffers go; nil keeps every byte.
    private let sink: ((UnsafeRawBufferPointer) -> Void)?

    /// An empty buffer that holds `capacity` bytes before it grows.
    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        sink = nil
    }

    /// An empty buffer of `capacity` bytes that hands its bytes to `sink` whenever it is full, in
    /// pieces that end between two appends (so between two characters), and on `flush()`.
    init(capacity: Int, sink: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        self.sink = sink
    }

    deinit { base.deallocate() }

    /// Hands the bytes written so far to the sink.
    mutating func flush() {
        guard let sink, count > 0 else { return }
        sink(UnsafeRawBufferPointer(start: base, count: count))
        count = 0
    }

    /// The bytes as a `String`.
    consuming func string() -> String {
        String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    /// The bytes.
    consuming func bytes() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    @inline(never)
    private mutating func grow(_ extra: Int) {
        if sink != nil {
            flush()
            if extra <= capacity { return }
        }
        var c = capacity &* 2
        while c - count < extra { c &*= 2 }
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        p.update(from: base, count: count)
        base.deallocate()
        base = p
        capacity = c
    }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if capacity &- count < extra { grow(extra) }
    }

    @inline(__always)
    mutating func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ a: UInt8, _ b: UInt8) {
        reserve(2)
        base[count] = a
        base[count &+ 1] = b
        count &+= 2
    }

    /// Appends bytes: one copy when they are contiguous (a native string's `utf8`, an array or a
    /// slice of either), byte by byte otherwise.
    @inline(__always)
    mutating func append(contentsOf bytes: some Collection<UInt8>) {
        let copied: Void? = bytes.withContiguousStorageIfAvailable { b in
            guard let p = b.baseAddress, b.count > 0 else { return }
            reserve(b.count)
            (base + count).update(from: p, count: b.count)
            count &+= b.count
        }
        if copied == nil {
            for b in bytes { append(b) }
        }
    }

    /// Appends the bytes of `other`. With a sink, bytes that do not fit go to the sink as they
    /// are, after the bytes before them, instead of growing this buffer to hold them.
    mutating func append(_ other: borrowing ByteBuffer) {
        let n = other.count
        guard n > 0 else { return }
        if let sink, n > capacity &- count {
            flush()
            if n > capacity {
                sink(UnsafeRawBufferPointer(start: other.base, count: n))
                return
            }
        }
        reserve(n)
        (base + count).update(from: other.base, count: n)
        count &+= n
    }

    /// Appends a literal's UTF-8.
    @inline(__always)
    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// Appends a string's UTF-8 as it is.
    @inline(__always)
    mutating func append(_ s: String) {
        append(contentsOf: s.utf8)
    }

    /// Appends `n` in decimal, as `String(n)` writes it.
    mutating func append(decimal n: Int) {
        if n < 0 { append(UInt8(ascii: "-")) }
        var m = n.magnitude
        if m < 10 { append(UInt8(truncatingIfNeeded: m) &+ 0x30); return }
        var digits = 1
        var t = m
        while t >= 10 { t /= 10; digits &+= 1 }
        reserve(digits)
        var i = count &+ digits
        repeat {
            i &-= 1
            base[i] = UInt8(truncatingIfNeeded: m % 10) &+ 0x30
            m /= 10
        } while m > 0
        count &+= digits
    }

    /// Appends `n` as lower-case hexadecimal, left-padded with zeros to `width` digits.
    mutating func append(hex n: UInt64, width: Int) {
        var digits = 1
        var t = n >> 4
        while t != 0 { t >>= 4; digits &+= 1 }
        let w = max(width, digits)
        reserve(w)
        var v = n
        var i = count &+ w
        while i > count {
            i &-= 1
            base[i] = Self.hexDigits[Int(truncatingIfNeeded: v & 0xF)]
            v >>= 4
        }
        count &+= w
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a line break and `2 × depth` spaces.
    @inline(__always)
    mutating func appendNewline(indent depth: Int) {
        let n = 1 &+ 2 &* depth
        reserve(n)
        base[count] = 0x0A
        (base + (count &+ 1)).update(repeating: 0x20, count: n &- 1)
        count &+= n
    }

    // MARK: JSON strings

    /// Appends `s` as a JSON string, quotes included: `"` and `\` escaped, `\n`, `\r`, `\t` as such,
    /// other control characters and DEL as `\u00xx`; everything else (`/`, non-ASCII) as it is.
    @inline(__always)
    mutating func appendJSONString(_ s: String) {
        append(0x22)
        appendJSONEscaped(s)
        append(0x22)
    }

    /// Appends `s` escaped for the inside of a JSON string (no quotes).
    @inline(__always)
    mutating func appendJSONEscaped(_ s: String) {
        s.withContiguousUTF8 { bytes in
            appendEscaping(bytes, wordIsPlain: { !Self.anyNeedsEscape($0) }, isPlain: { !Self.needsEscape($0) },
                           escape: { b, out in out.appendEscape(b) })
        }
    }

    // MARK: Escaping

    /// Appends `bytes` with each byte that `isPlain` rejects written by `escape` instead; the runs
    /// of plain bytes between them are copied at once. `wordIsPlain`, when it can say so faster,
    /// tests eight bytes at a time (loaded as a little-endian `UInt64`): it must be true only when
    /// `isPlain` holds for all eight.
    ///
    /// The one escaping loop of the reports (JSON strings, workflow commands, SARIF URIs), called
    /// on a string's bytes in place: `s.withContiguousUTF8 { out.appendEscaping($0, …) }`, with the
    /// tests written as closures there so that they are inlined. The same loop over `utf8` indices
    /// took 5–7 times the instructions.
    @inline(__always)
    mutating func appendEscaping(_ bytes: UnsafeBufferPointer<UInt8>, wordIsPlain: (UInt64) -> Bool = { _ in false },
                                 isPlain: (UInt8) -> Bool, escape: (UInt8, inout ByteBuffer) -> Void) {
        let n = bytes.count
        var run = 0  // the start of the bytes not yet copied
        var i = 0
        while true {
            // Eight bytes at a time while they are plain.
            if let p = bytes.baseAddress {
                while i &+ 8 <= n, wordIsPlain(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) {
                    i &+= 8
                }
            }
            // Then byte by byte to the next escape (at most the next eight bytes, or the tail).
            let stop = min(i &+ 8, n)
            while i < stop, isPlain(bytes[i]) { i &+= 1 }
            if i == n { break }
            if i == stop { continue }
            append(contentsOf: bytes[run..<i])
            escape(bytes[i], &self)
            i &+= 1
            run = i
        }
        append(contentsOf: bytes[run..<n])
    }

    @inline(__always)
    static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F
    }

    /// Whether one of the eight bytes of `w` needs escaping (exact: no false positive or negative).
    @inline(__always)
    static func anyNeedsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        // A byte below n (n ≤ 128): (x - n) & ~x & 0x80 per byte.
        let control = (w &- ones &* 0x20) & ~w
        // A zero byte after xor: the byte equals the constant.
        let q = w ^ (ones &* 0x22), bs = w ^ (ones &* 0x5C), del = w ^ (ones &* 0x7F)
        let equal = ((q &- ones) & ~q) | ((bs &- ones) & ~bs) | ((del &- ones) & ~del)
        return (control | equal) & high != 0
    }

    /// Whether one of the eight bytes of `w` is `c` (exact).
    @inline(__always)
    static func contains(_ w: UInt64, _ c: UInt8) -> Bool {
        let x = w ^ (0x0101_0101_0101_0101 &* UInt64(c))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }

    fileprivate mutating func appendEscape(_ b: UInt8) {
        switch b {
        case 0x22: append(0x5C, 0x22)
        case 0x5C: append(0x5C, 0x5C)
        case 0x0A: append(0x5C, UInt8(ascii: "n"))
        case 0x0D: append(0x5C, UInt8(ascii: "r"))
        case 0x09: append(0x5C, UInt8(ascii: "t"))
        default:
            append("\\u00")
            append(Self.hexDigits[Int(b >> 4)], Self.hexDigits[Int(b & 0xF)])
        }
    }
}
