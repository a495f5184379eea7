/// Writes JSON straight into bytes, in the layout of `JSONValue.serialized`: two-space indentation
/// (or compact), keys in the order written, `[]` and `{}` for empty containers. The caller opens and
/// closes containers and writes keys and values in document order; the writer adds the commas, line
/// breaks and indentation.
struct JSONWriter: ~Copyable {
    /// The bytes written.
    var out: ByteBuffer
    /// Whether to indent.
    let pretty: Bool
    /// The open containers.
    private var depth = 0
    /// Whether the innermost open container has an item.
    private var hasItems = false
    /// `hasItems` of the enclosing containers.
    private var enclosing: [Bool] = []
    /// Whether a key was just written: the next value is its value, not an array item.
    private var afterKey = false

    /// A writer with room for `capacity` bytes before its buffer grows.
    init(pretty: Bool = true, capacity: Int = 1024) {
        out = ByteBuffer(capacity: capacity)
        self.pretty = pretty
        enclosing.reserveCapacity(16)
    }

    /// A writer that appends to `out`.
    init(out: consuming ByteBuffer, pretty: Bool = true) {
        self.out = out
        self.pretty = pretty
        enclosing.reserveCapacity(16)
    }

    /// The JSON text.
    consuming func string() -> String { out.string() }

    /// The buffer written to.
    consuming func finish() -> ByteBuffer { out }

    // MARK: Structure

    mutating func beginObject() {
        beforeValue()
        out.append(UInt8(ascii: "{"))
        open()
    }

    mutating func endObject() { close(UInt8(ascii: "}")) }

    mutating func beginArray() {
        beforeValue()
        out.append(UInt8(ascii: "["))
        open()
    }

    mutating func endArray() { close(UInt8(ascii: "]")) }

    @inline(__always)
    private mutating func open() {
        enclosing.append(hasItems)
        hasItems = false
        depth &+= 1
    }

    @inline(__always)
    private mutating func close(_ bracket: UInt8) {
        depth &-= 1
        if hasItems && pretty { out.appendNewline(indent: depth) }
        out.append(bracket)
        hasItems = enclosing.removeLast()
    }

    /// The separator before an item of the innermost container: a comma after the first, then the
    /// line break and indentation.
    @inline(__always)
    private mutating func nextItem() {
        if hasItems { out.append(UInt8(ascii: ",")) }
        hasItems = true
        if pretty { out.appendNewline(indent: depth) }
    }

    @inline(__always)
    private mutating func beforeValue() {
        if afterKey { afterKey = false } else if depth > 0 { nextItem() }
    }

    /// A key that needs no escaping (a literal of letters, digits and punctuation other than `"` and `\`).
    @inline(__always)
    mutating func key(_ k: StaticString) {
        nextItem()
        out.append(UInt8(ascii: "\""))
        out.append(k)
        if pretty { out.append("\": ") } else { out.append("\":") }
        afterKey = true
    }

    /// Any key.
    mutating func key(_ k: String) {
        nextItem()
        out.appendJSONString(k)
        if pretty { out.append(UInt8(ascii: ":"), UInt8(ascii: " ")) } else { out.append(UInt8(ascii: ":")) }
        afterKey = true
    }

    /// Writes `items` as the items of the innermost open array, each with `write`. Many items are
    /// written in chunks over the cores, each chunk by its own writer at this depth into a buffer
    /// of about `itemSize` bytes per item, and the chunks' bytes appended in order (handed on as
    /// they are to a sink): the same bytes as writing them here one by one.
    mutating func items<T: Sendable>(_ items: [T], itemSize: Int = 1024, _ write: @escaping @Sendable (T, inout JSONWriter) -> Void) {
        guard items.count >= Self.parallelItems else {
            for item in items { write(item, &self) }
            return
        }
        let depth = self.depth, pretty = self.pretty, first = !hasItems
        let chunks = Parallel.map(items, parallel: true, chunkSize: Self.parallelItems / 2) { chunk -> WrittenChunk in
            var w = JSONWriter(pretty: pretty, capacity: chunk.count &* itemSize)
            w.depth = depth
            w.hasItems = !(first && chunk.startIndex == 0)
            for item in chunk { write(item, &w) }
            return WrittenChunk(w.finish())
        }
        for chunk in chunks { out.append(chunk.buffer) }
        hasItems = true
    }

    /// From how many items ``items(_:itemSize:_:)`` writes over the cores.
    static let parallelItems = 512

    // MARK: Values

    @inline(__always)
    mutating func string(_ s: String) {
        beforeValue()
        out.appendJSONString(s)
    }

    /// A string literal that needs no escaping.
    @inline(__always)
    mutating func string(_ s: StaticString) {
        beforeValue()
        out.append(UInt8(ascii: "\""))
        out.append(s)
        out.append(UInt8(ascii: "\""))
    }

    /// The string, or `null`.
    @inline(__always)
    mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    @inline(__always)
    mutating func int(_ n: Int) {
        beforeValue()
        out.append(decimal: n)
    }

    /// The number, or `null`.
    @inline(__always)
    mutating func int(_ n: Int?) {
        if let n { int(n) } else { null() }
    }

    mutating func bool(_ b: Bool) {
        beforeValue()
        out.append(b ? "true" : "false")
    }

    mutating func null() {
        beforeValue()
        out.append("null")
    }

    /// A string value written in parts: `beginString()`, then `out.appendJSONEscaped(…)` for each
    /// part, then `endString()`.
    mutating func beginString() {
        beforeValue()
        out.append(UInt8(ascii: "\""))
    }

    mutating func endString() { out.append(UInt8(ascii: "\"")) }

    // MARK: Fields

    /// `"k": "s"`.
    @inline(__always)
    mutating func field(_ k: StaticString, _ s: String) {
        key(k)
        string(s)
    }

    /// `"k": "s"` or `"k": null`.
    @inline(__always)
    mutating func field(_ k: StaticString, _ s: String?) {
        key(k)
        string(s)
    }

    /// `"k": "s"` for a literal.
    @inline(__always)
    mutating func field(_ k: StaticString, literal s: StaticString) {
        key(k)
        string(s)
    }

    /// `"k": n`.
    @inline(__always)
    mutating func field(_ k: StaticString, _ n: Int) {
        key(k)
        int(n)
    }

    /// `"k": n` or `"k": null`.
    @inline(__always)
    mutating func field(_ k: StaticString, _ n: Int?) {
        key(k)
        int(n)
    }

    // MARK: Values of the tree

    /// `v` as `JSONValue.serialized` writes it.
    mutating func value(_ v: JSONValue) {
        switch v {
        case .string(let s): string(s)
        case .int(let n): int(n)
        case .bool(let b): bool(b)
        case .null: null()
        case .array(let items):
            beginArray()
            for item in items { value(item) }
            endArray()
        case .object(let pairs):
            beginObject()
            for (k, item) in pairs {
                key(k)
                value(item)
            }
            endObject()
        }
    }
}

/// The bytes of one chunk of ``JSONWriter/items(_:itemSize:_:)``, written on one core and read by
/// the caller after the chunks are done.
private final class WrittenChunk: @unchecked Sendable {
    let buffer: ByteBuffer
    init(_ buffer: consuming ByteBuffer) { self.buffer = buffer }
}
