/// A position in a parsed buffer.
///
/// `offset` is a byte offset into the buffer that was parsed (for front matter: into the whole file,
/// BOM included), `line` and `column` are 1-based; `column` counts Unicode scalars from the start of
/// the line, as editors and compilers show it.
public struct YAMLMark: Sendable, Hashable, Comparable {
    /// Byte offset from the start of the buffer.
    public var offset: Int
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int

    /// Creates a mark.
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public static func < (lhs: YAMLMark, rhs: YAMLMark) -> Bool { lhs.offset < rhs.offset }
}

/// The source range of a node: `start` is the first byte of the node's text (after an anchor or tag
/// when present), `end` is the byte just past it.
public struct YAMLSpan: Sendable, Hashable {
    /// Where the node starts.
    public var start: YAMLMark
    /// Just past the node's last byte.
    public var end: YAMLMark

    /// Creates a span.
    public init(start: YAMLMark, end: YAMLMark) {
        self.start = start
        self.end = end
    }

    /// The byte range of the span.
    public var byteRange: Range<Int> { start.offset..<max(start.offset, end.offset) }
}

/// How a scalar was written.
public enum YAMLScalarStyle: String, Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar as written: its text (after YAML unescaping/folding), its style and tag.
public struct YAMLScalar: Sendable, Hashable {
    /// The scalar's value as a string; YAML 1.1 booleans (`yes`, `no`, `on`, `off`) keep their text.
    public var text: String
    /// How it was quoted.
    public var style: YAMLScalarStyle
    /// An explicit tag (`!!str`), when written.
    public var tag: String?

    /// Creates a scalar.
    public init(text: String, style: YAMLScalarStyle = .plain, tag: String? = nil) {
        self.text = text
        self.style = style
        self.tag = tag
    }

    /// Whether this is a plain null (`~`, `null`, `Null`, `NULL` or empty) with no tag.
    public var isNull: Bool {
        guard style == .plain, tag == nil, text.utf8.count <= 4 else { return false }
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// The YAML 1.1 boolean this plain scalar would be read as by PyYAML (`yes`, `No`, `on`, `TRUE`,
    /// …), or nil when it is not one. Quoted scalars are never booleans.
    public var yaml11Boolean: Bool? {
        guard style == .plain, tag == nil, (1...5).contains(text.utf8.count) else { return nil }
        switch text {
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "y", "Y": return true
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N": return false
        default: return nil
        }
    }

    /// Whether PyYAML would read this plain scalar as a number (int or float), so a string field
    /// holding it is not a string for huggingface_hub.
    public var looksNumeric: Bool {
        guard style == .plain, tag == nil, !text.isEmpty else { return false }
        // Byte by byte: a byte outside 0-9, `_`, `.`, `-`, `+` fails either way, as a Character
        // holding it is not an ASCII digit.
        var utf8 = Substring(text).utf8
        if utf8.first == UInt8(ascii: "-") || utf8.first == UInt8(ascii: "+") { utf8 = utf8.dropFirst() }
        guard !utf8.isEmpty else { return false }
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if utf8.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) { return true }
        var dots = 0
        var digits = 0
        for b in utf8 {
            if b == UInt8(ascii: ".") {
                dots += 1
            } else if isDigit(b) {
                digits += 1
            } else {
                return false
            }
        }
        return dots == 1 && digits > 0
    }
}

/// A key and value of a mapping, in document order.
public struct YAMLPair: Sendable {
    /// The key node.
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode

    /// Creates a pair.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A node of a YAML document with its source span.
///
/// Mappings keep their pairs in document order, duplicates included (the parser reports them).
/// An alias is resolved to the node its anchor names; the value is shared, not copied.
///
/// A node is a value held in one immutable box: copying a node (into a pair, out of a mapping,
/// into a card's field) costs one reference count, not a copy of its strings, span and arrays.
/// Nothing changes a box once built, so no copy can see a change made through another; a
/// different node is a new node (``init(kind:span:isFlow:anchor:isAlias:)``).
public struct YAMLNode: Sendable {
    /// What the node holds.
    public enum Kind: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    /// The node's parts, built once.
    private final class Storage: Sendable {
        let kind: Kind
        let span: YAMLSpan
        let isFlow: Bool
        let anchor: String?
        let isAlias: Bool

        init(kind: Kind, span: YAMLSpan, isFlow: Bool, anchor: String?, isAlias: Bool) {
            self.kind = kind
            self.span = span
            self.isFlow = isFlow
            self.anchor = anchor
            self.isAlias = isAlias
        }
    }

    private let storage: Storage

    /// The content.
    public var kind: Kind { storage.kind }
    /// Where it was written (for an alias: where the alias was written).
    public var span: YAMLSpan { storage.span }
    /// Whether a collection was written in flow style (`[a, b]`, `{a: b}`).
    public var isFlow: Bool { storage.isFlow }
    /// The anchor name (`&name`), when written; for a node reached through an alias, the anchor
    /// the alias names.
    public var anchor: String? { storage.anchor }
    /// Whether this node was reached through an alias (`*name`).
    public var isAlias: Bool { storage.isAlias }

    /// Creates a node.
    public init(kind: Kind, span: YAMLSpan, isFlow: Bool = false, anchor: String? = nil, isAlias: Bool = false) {
        storage = Storage(kind: kind, span: span, isFlow: isFlow, anchor: anchor, isAlias: isAlias)
    }

    /// The same node as reached through an alias written at `span`: its content, flow style and
    /// anchor, with the alias's span.
    func aliased(at span: YAMLSpan) -> YAMLNode {
        YAMLNode(kind: kind, span: span, isFlow: isFlow, anchor: anchor, isAlias: true)
    }

    /// The same node with `kind` as its content (span, flow style, anchor and alias flag kept).
    public func replacingKind(_ kind: Kind) -> YAMLNode {
        YAMLNode(kind: kind, span: span, isFlow: isFlow, anchor: anchor, isAlias: isAlias)
    }

    /// The scalar, when this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = storage.kind { return s }
        return nil
    }

    /// The scalar's text, when this node is a scalar.
    public var string: String? {
        if case .scalar(let s) = storage.kind { return s.text }
        return nil
    }

    /// The items, when this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = storage.kind { return items }
        return nil
    }

    /// The pairs, when this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = storage.kind { return pairs }
        return nil
    }

    /// The value of the **last** pair whose key is the plain string `key` (PyYAML, and so the Hub's
    /// Python tooling, keep the last of duplicate keys), or nil.
    public subscript(key: String) -> YAMLNode? {
        pair(key)?.value
    }

    /// The last pair whose key is the scalar `key`, or nil.
    public func pair(_ key: String) -> YAMLPair? {
        guard case .mapping(let pairs) = storage.kind else { return nil }
        var i = pairs.endIndex
        while i > pairs.startIndex {
            i -= 1
            // Only the matching pair is copied out; the others are looked at where they lie.
            if pairs[i].key.isScalar(key) { return pairs[i] }
        }
        return nil
    }

    /// Whether this node is a scalar whose text is `text`.
    func isScalar(_ text: String) -> Bool {
        // Lengths first: most keys differ in length, and a length is read without comparing.
        if case .scalar(let s) = storage.kind { return s.text.utf8.count == text.utf8.count && s.text == text }
        return false
    }

    /// A short name of the node's kind for messages: "a string", "a list", "a mapping", "a number", ….
    public var kindDescription: String {
        switch storage.kind {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let s):
            if s.isNull { return "null" }
            if s.yaml11Boolean != nil { return "a boolean" }
            if s.looksNumeric { return "a number" }
            return "a string"
        }
    }
}

/// A key that appears more than once in one mapping.
public struct YAMLDuplicateKey: Sendable, Hashable {
    /// The key's text.
    public var key: String
    /// Where it first appears.
    public var first: YAMLSpan
    /// Where it appears again (the value in force is the last one).
    public var duplicate: YAMLSpan

    /// Creates a record of a duplicate key.
    public init(key: String, first: YAMLSpan, duplicate: YAMLSpan) {
        self.key = key
        self.first = first
        self.duplicate = duplicate
    }
}

/// A parsed YAML document.
public struct YAMLDocument: Sendable {
    /// The root node; nil for an empty document.
    public var root: YAMLNode?
    /// Keys repeated within a mapping, in document order.
    public var duplicateKeys: [YAMLDuplicateKey]
    /// Whether pairs of the root mapping were left out (a parse given `rootKeys`).
    public var omitsRootPairs: Bool

    /// Creates a document.
    public init(root: YAMLNode?, duplicateKeys: [YAMLDuplicateKey] = [], omitsRootPairs: Bool = false) {
        self.root = root
        self.duplicateKeys = duplicateKeys
        self.omitsRootPairs = omitsRootPairs
    }
}

/// Why a buffer is not valid YAML, with where libyaml (or a limit) stopped.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// libyaml's problem text, or the limit that was hit.
    public var message: String
    /// libyaml's context text, when it gave one ("while parsing a block mapping").
    public var context: String?
    /// Where the problem is.
    public var mark: YAMLMark

    /// Creates an error.
    public init(message: String, context: String? = nil, mark: YAMLMark) {
        self.message = message
        self.context = context
        self.mark = mark
    }

    public var description: String {
        let where_ = "line \(mark.line), column \(mark.column)"
        if let context { return "\(context): \(message) at \(where_)" }
        return "\(message) at \(where_)"
    }
}

/// Bounds that keep a hostile document from costing unbounded time or memory.
public struct YAMLLimits: Sendable, Hashable {
    /// Deepest nesting of collections accepted.
    public var maxDepth: Int
    /// Most events (nodes, aliases) accepted in one document.
    public var maxEvents: Int

    /// Creates limits.
    public init(maxDepth: Int = 256, maxEvents: Int = 1_000_000) {
        self.maxDepth = maxDepth
        self.maxEvents = maxEvents
    }

    /// The defaults: depth 256, one million events.
    public static let `default` = YAMLLimits()
}

/// A set of mapping keys, matched against the bytes libyaml hands over without making a string
/// of each: the root keys ``YAML/parse(_:range:firstLine:limits:rootKeys:)`` builds.
public struct YAMLKeySet: Sendable, Hashable {
    /// The keys' UTF-8 bytes.
    private let keys: [[UInt8]]
    /// Bit `n` set when a key is `n` bytes long (for `n` under 64): most keys differ in length.
    private let lengths: UInt64

    /// Creates the set of `keys`.
    public init(_ keys: some Sequence<String>) {
        let bytes = Set(keys).sorted().map { Array($0.utf8) }
        self.keys = bytes
        lengths = bytes.reduce(0) { $1.count < 64 ? $0 | 1 << UInt64($1.count) : $0 }
    }

    /// Whether `key` is in the set.
    public func contains(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { contains(bytes: $0) }
    }

    /// Whether the key whose UTF-8 bytes are `bytes` is in the set.
    func contains(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        if n < 64, lengths & 1 << UInt64(n) == 0 { return false }
        for k in keys where k.count == n {
            var i = 0
            while i < n, k[i] == bytes[i] { i += 1 }
            if i == n { return true }
        }
        return false
    }
}
