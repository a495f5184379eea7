internal import CYAML

/// Parses YAML with libyaml into ``YAMLNode`` trees with source spans.
public enum YAML {
    /// Parses the single document of `bytes[range]` (UTF-8, after an optional byte order mark; the
    /// whole of `bytes` by default).
    ///
    /// Marks are reported relative to the whole of `bytes`: offsets are byte offsets into `bytes`,
    /// and lines count from `firstLine` at `range.lowerBound` (which must be the start of a line).
    /// Duplicate keys are reported in ``YAMLDocument/duplicateKeys``, not merged. Aliases resolve to
    /// their anchored node. Like PyYAML's `safe_load`, a stream with more than one document and an
    /// anchor defined twice are errors; an empty stream gives a nil root. An alias inside the node
    /// it names is an error too (PyYAML builds a cyclic value, a tree of values cannot).
    ///
    /// Spans: a scalar's span covers its source text, quotes included; a block scalar (`|`, `>`)
    /// runs from its indicator to the end of its last non-blank line (its final line break and
    /// trailing blank lines are left out, so replacing the span keeps the next line intact). A flow
    /// collection's span runs from its bracket to its closing bracket, a block collection's from its
    /// first entry to the end of its last value. A node with an anchor or tag starts after them.
    ///
    /// With `rootKeys`, a root mapping keeps only the pairs whose key is a scalar in `rootKeys`
    /// (and those with a collection for a key); the others are parsed and checked but not built,
    /// and ``YAMLDocument/omitsRootPairs`` is set. Everything else is as without: the same nodes
    /// and spans (the root's too), the same duplicate keys, anywhere, and the same errors. A
    /// document with an anchor or an alias inside a value left out is built in full.
    public static func parse(
        _ bytes: [UInt8],
        range: Range<Int>? = nil,
        firstLine: Int = 1,
        limits: YAMLLimits = .default,
        rootKeys: YAMLKeySet? = nil
    ) throws(YAMLError) -> YAMLDocument {
        let given = range
        var range = range ?? 0..<bytes.count
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "range out of bounds")
        // Skip a byte order mark as editors do, so that it takes no column on the first line.
        if bytes[range].starts(with: [0xEF, 0xBB, 0xBF]) { range = range.lowerBound + 3..<range.upperBound }
        if range.isEmpty { return YAMLDocument(root: nil) }
        let source = SourceMap(bytes: bytes, range: range, firstLine: firstLine)

        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw YAMLError(message: "libyaml could not allocate a parser", mark: source.startMark)
        }
        defer { yaml_parser_delete(parser) }
        // Force UTF-8 so that a leading FF FE is not taken for a UTF-16 byte order mark.
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)

        var builder = DocumentBuilder(source: source, limits: limits, rootKeys: rootKeys)
        let built = try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLError) -> YAMLDocument? in
            yaml_parser_set_input_string(parser, buffer.baseAddress! + range.lowerBound, range.count)
            var event = yaml_event_t()
            var done = false
            while !done {
                guard yaml_parser_parse(parser, &event) == 1 else { throw source.error(of: parser.pointee) }
                defer { yaml_event_delete(&event) }
                done = try builder.handle(event)
            }
            if builder.needsFullBuild { return nil }
            return YAMLDocument(root: builder.root, duplicateKeys: builder.duplicateKeys, omitsRootPairs: builder.omittedRootPairs)
        }
        if let built { return built }
        return try parse(bytes, range: given, firstLine: firstLine, limits: limits)
    }
}

/// Converts libyaml marks, which count characters, into byte offsets, lines and columns.
struct SourceMap {
    let bytes: [UInt8]
    let range: Range<Int>
    let firstLine: Int
    /// Byte offset (relative to `range.lowerBound`) of each character index libyaml reports, with
    /// one entry past the end; nil when the text is ASCII and indexes are offsets.
    private(set) var characterOffsets: [Int]?
    /// The mark at the end of the range. libyaml moves its end-of-stream mark to a new line; this
    /// one stays where the text ends.
    private(set) var endMark: YAMLMark

    init(bytes: [UInt8], range: Range<Int>, firstLine: Int) {
        self.bytes = bytes
        self.range = range
        self.firstLine = firstLine
        characterOffsets = nil
        // One walk finds the end mark and whether the text is ASCII.
        var isASCII = true
        endMark = YAMLMark(offset: range.lowerBound, line: firstLine, column: 1)
        endMark = advance(endMark, to: range.upperBound, isASCII: &isASCII)
        if !isASCII {
            var offsets: [Int] = []
            offsets.reserveCapacity(range.count + 1)
            for i in range where bytes[i] & 0xC0 != 0x80 { offsets.append(i - range.lowerBound) }
            offsets.append(range.count)
            characterOffsets = offsets
        }
    }

    var startMark: YAMLMark { YAMLMark(offset: range.lowerBound, line: firstLine, column: 1) }

    /// The mark of a libyaml position (`index` and `column` count Unicode scalars, CRLF counts two).
    func mark(_ m: yaml_mark_t) -> YAMLMark {
        let index = Int(m.index)
        let relative = characterOffsets.map { $0[min(index, $0.count - 1)] } ?? min(index, range.count)
        if relative == range.count { return endMark }
        return YAMLMark(offset: range.lowerBound + relative, line: firstLine + Int(m.line), column: Int(m.column) + 1)
    }

    /// The mark at byte `offset`, counted forward from `mark`, with libyaml's line breaks (LF, CR,
    /// CRLF, NEL, LS, PS).
    func advance(_ mark: YAMLMark, to offset: Int) -> YAMLMark {
        var isASCII = true
        return advance(mark, to: offset, isASCII: &isASCII)
    }

    /// ``advance(_:to:)``, clearing `isASCII` when a byte on the way is not ASCII.
    private func advance(_ mark: YAMLMark, to offset: Int, isASCII: inout Bool) -> YAMLMark {
        var m = mark
        var i = m.offset
        while i < offset {
            let b = bytes[i]
            if b >= 0x20 && b < 0x80 {
                // Printable ASCII, most of any text: one column.
                m.column += 1
                i += 1
                continue
            }
            if b >= 0x80 { isASCII = false }
            if b == 0x0D || (b == 0x0A && !(i > range.lowerBound && bytes[i - 1] == 0x0D)) {
                m.line += 1
                m.column = 1
            } else if b == 0x0A || b & 0xC0 == 0x80 {
                // the LF of a CRLF, or a UTF-8 continuation byte
            } else if let n = unicodeBreakLength(at: i) {
                m.line += 1
                m.column = 1
                i += n - 1
            } else {
                m.column += 1
            }
            i += 1
        }
        m.offset = offset
        return m
    }

    /// The length of a NEL, LS or PS at `i`, which libyaml also takes for line breaks.
    private func unicodeBreakLength(at i: Int) -> Int? {
        let end = range.upperBound
        if bytes[i] == 0xC2, i + 1 < end, bytes[i + 1] == 0x85 { return 2 }
        if bytes[i] == 0xE2, i + 2 < end, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
            return 3
        }
        return nil
    }

    /// The length of the line break that ends just before `p`, if any.
    private func breakLength(endingAt p: Int) -> Int? {
        let lower = range.lowerBound
        guard p > lower else { return nil }
        switch bytes[p - 1] {
        case 0x0A: return p - 2 >= lower && bytes[p - 2] == 0x0D ? 2 : 1
        case 0x0D: return 1
        case 0x85 where p - 2 >= lower && unicodeBreakLength(at: p - 2) == 2: return 2
        case 0xA8...0xA9 where p - 3 >= lower && unicodeBreakLength(at: p - 3) == 3: return 3
        default: return nil
        }
    }

    /// Where a node's content starts: after the anchor and tag that begin at `start`, and never
    /// past `limit` (the end of the event, which is where an empty node is).
    func contentStart(from start: YAMLMark, limit: YAMLMark) -> YAMLMark {
        var i = start.offset
        scan: while i < limit.offset {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case UInt8(ascii: "#"):
                while i < limit.offset, bytes[i] != 0x0A, bytes[i] != 0x0D { i += 1 }
            case UInt8(ascii: "&"), UInt8(ascii: "!"):
                while i < limit.offset, ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
            default: break scan
            }
        }
        return i >= limit.offset ? limit : advance(start, to: i)
    }

    /// The end of a block scalar: the end of its last non-blank line, given libyaml's end (after
    /// the final line break and any trailing blank lines).
    func blockScalarEnd(start: YAMLMark, end: YAMLMark) -> YAMLMark {
        var p = end.offset
        while p > start.offset, let n = breakLength(endingAt: p) {
            var r = p - n
            while r > start.offset, bytes[r - 1] == 0x20 || bytes[r - 1] == 0x09 { r -= 1 }
            guard breakLength(endingAt: r) != nil else { return advance(start, to: p - n) }
            p = r
        }
        return advance(start, to: p)
    }

    /// The error libyaml reports, with its mark converted.
    func error(of parser: yaml_parser_t) -> YAMLError {
        var message = parser.problem.map { String(cString: $0) } ?? "libyaml failed without a message"
        let context = parser.context.map { String(cString: $0) }
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(message: "libyaml ran out of memory", mark: startMark)
        case YAML_READER_ERROR:
            // The reader reports a byte offset into the input, not a mark.
            if parser.problem_value != -1 {
                message += " (#x" + String(UInt32(bitPattern: parser.problem_value), radix: 16) + ")"
            }
            let offset = min(range.lowerBound + Int(parser.problem_offset), range.upperBound)
            return YAMLError(message: message, context: context, mark: advance(startMark, to: offset))
        default:
            return YAMLError(message: message, context: context, mark: mark(parser.problem_mark))
        }
    }
}

/// Builds a ``YAMLDocument`` from libyaml events with an explicit stack of open collections.
struct DocumentBuilder {
    /// An open sequence or mapping.
    private struct Frame {
        var isMapping: Bool
        var isFlow: Bool
        var start: YAMLMark
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        /// The first span of each scalar key, built once the mapping is large (a small one is
        /// searched instead).
        var firstKeySpans: [String: YAMLSpan]?
        /// The root mapping's keys whose pairs are left out; how the last such value ends, and
        /// whether it comes after the last pair built.
        var omittedKeys = KeyRecord()
        var omittedEnding: Ending?
        var endsOmitted = false
    }

    /// The last event of a value that is not built, as libyaml gave it: where the value ends, once
    /// converted.
    enum Ending {
        case scalar(start: yaml_mark_t, end: yaml_mark_t, hasProperties: Bool, style: YAMLScalarStyle)
        case bracket(yaml_mark_t)
    }

    /// A collection open inside a root pair's value that is not built.
    private struct OmittedFrame {
        var isMapping: Bool
        var isFlow: Bool
        var expectingKey = true
        var keys = KeyRecord()
    }

    /// The scalar keys of a mapping that is not built, to find duplicates: searched while few,
    /// indexed once there are many.
    struct KeyRecord {
        private var keys: [(text: String, span: YAMLSpan)] = []
        private var index: [String: YAMLSpan]?

        /// Where `text` was first met as a key, when it was; else records it at `span`.
        mutating func firstSpan(of text: String, at span: YAMLSpan) -> YAMLSpan? {
            if index == nil, keys.count >= DocumentBuilder.keyIndexThreshold {
                index = Dictionary(keys.map { ($0.text, $0.span) }, uniquingKeysWith: { first, _ in first })
            }
            if index != nil {
                if let first = index![text] { return first }
                index![text] = span
                return nil
            }
            if let k = keys.first(where: { $0.text == text }) { return k.span }
            keys.append((text, span))
            return nil
        }
    }


    /// The pairs and items a mapping and a sequence have room for from their first one: a card's
    /// usual collections at once, instead of growing 1, 2, 4, 8, 16 (an empty one allocates nothing).
    private static let initialPairs = 16
    private static let initialItems = 4

    /// Mappings with more pairs than this index their keys to find duplicates.
    static let keyIndexThreshold = 16

    let source: SourceMap
    let limits: YAMLLimits
    private(set) var root: YAMLNode?
    private(set) var duplicateKeys: [YAMLDuplicateKey] = []
    private var stack: [Frame] = []
    /// Completed anchored nodes (an anchor on an open collection is added when it closes).
    private var anchors: [String: YAMLNode] = [:]
    /// Every anchor seen, open or complete: PyYAML rejects a second `&name`.
    private var anchorNames: Set<String> = []
    private var events = 0
    private var documents = 0
    /// The root mapping's keys whose pairs are built; nil builds them all.
    let rootKeys: YAMLKeySet?
    /// Whether a pair of the root mapping was left out.
    private(set) var omittedRootPairs = false
    /// Set, and the events stop, when an anchor or an alias turns up inside a value left out: the
    /// document is then built in full.
    private(set) var needsFullBuild = false
    /// Whether a root pair's value is being left out.
    private var omitting = false
    /// The collections open inside the value left out, innermost last.
    private var omittedFrames: [OmittedFrame] = []

    init(source: SourceMap, limits: YAMLLimits, rootKeys: YAMLKeySet? = nil) {
        self.source = source
        self.limits = limits
        self.rootKeys = rootKeys
    }

    /// Handles one event; returns true at the end of the stream.
    mutating func handle(_ event: yaml_event_t) throws(YAMLError) -> Bool {
        events += 1
        guard events <= limits.maxEvents else {
            throw YAMLError(message: "the document has more than \(limits.maxEvents) events",
                            mark: source.mark(event.start_mark))
        }
        if omitting { return try handleOmitted(event) }
        // Marks are converted only for the events whose spans are kept (or whose error needs one).
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return true
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            guard documents == 1 else {
                throw YAMLError(message: "but found another document",
                                context: "expected a single document in the stream", mark: source.mark(event.start_mark))
            }
        case YAML_ALIAS_EVENT:
            let start = source.mark(event.start_mark)
            let end = source.mark(event.end_mark)
            let name = String(cString: event.data.alias.anchor)
            guard let node = anchors[name] else {
                let isOpen = stack.contains { $0.anchor == name }
                throw YAMLError(message: isOpen ? "found recursive alias \"\(name)\"" : "found undefined alias \"\(name)\"",
                                mark: start)
            }
            add(node.aliased(at: YAMLSpan(start: start, end: end)))
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let value = Self.scalarBytes(event)
            let text = String(decoding: value, as: UTF8.self)
            if let rootKeys, stack.count == 1, stack[0].isMapping, stack[0].pendingKey == nil, !rootKeys.contains(bytes: value) {
                // A root key whose pair is left out.
                guard data.anchor == nil else { return stop() }
                let span = scalarSpan(source.mark(event.start_mark), event.end_mark, hasProperties: data.tag != nil, style: Self.style(data.style))
                if let first = stack[0].omittedKeys.firstSpan(of: text, at: span) {
                    duplicateKeys.append(YAMLDuplicateKey(key: text, first: first, duplicate: span))
                }
                omittedRootPairs = true
                omitting = true
                return false
            }
            let start = source.mark(event.start_mark)
            let anchor = try define(data.anchor, at: start)
            let tag = data.tag.map { Self.shortTag(String(cString: $0)) }
            let style = Self.style(data.style)
            let span = scalarSpan(start, event.end_mark, hasProperties: anchor != nil || tag != nil, style: style)
            let node = YAMLNode(kind: .scalar(YAMLScalar(text: text, style: style, tag: tag)), span: span, anchor: anchor)
            if let anchor { anchors[anchor] = node }
            add(node)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try open(isMapping: false, anchor: data.anchor, hasTag: data.tag != nil,
                     isFlow: data.style == YAML_FLOW_SEQUENCE_STYLE, start: source.mark(event.start_mark),
                     end: source.mark(event.end_mark))
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try open(isMapping: true, anchor: data.anchor, hasTag: data.tag != nil,
                     isFlow: data.style == YAML_FLOW_MAPPING_STYLE, start: source.mark(event.start_mark),
                     end: source.mark(event.end_mark))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            var lastEnd = frame.isMapping ? frame.pairs.last?.value.span.end : frame.items.last?.span.end
            if frame.endsOmitted, let ending = frame.omittedEnding { lastEnd = end(of: ending) }
            // A flow collection ends at its bracket (the event's end); a block one where its last
            // value ends.
            let span = YAMLSpan(start: frame.start,
                                end: frame.isFlow ? source.mark(event.end_mark) : lastEnd ?? frame.start)
            let kind: YAMLNode.Kind = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
            let node = YAMLNode(kind: kind, span: span, isFlow: frame.isFlow, anchor: frame.anchor)
            if let anchor = frame.anchor { anchors[anchor] = node }
            add(node)
        default:
            break
        }
        return false
    }

    /// A scalar's span from its event's marks: after its anchor and tag (`hasProperties`), and for
    /// a block scalar to the end of its last non-blank line.
    private func scalarSpan(_ start: YAMLMark, _ endMark: yaml_mark_t, hasProperties: Bool,
                            style: YAMLScalarStyle) -> YAMLSpan {
        let end = source.mark(endMark)
        let first = hasProperties ? source.contentStart(from: start, limit: end) : start
        let last = style == .literal || style == .folded ? source.blockScalarEnd(start: first, end: end) : end
        return YAMLSpan(start: first, end: last)
    }

    /// Stops the events so that the document is built in full.
    private mutating func stop() -> Bool {
        needsFullBuild = true
        return true
    }

    /// Handles an event inside a root pair's value that is left out: nothing is built, duplicate
    /// keys and the nesting limit are checked as they are for the built pairs, and the value's
    /// last event is kept for the root's span.
    private mutating func handleOmitted(_ event: yaml_event_t) throws(YAMLError) -> Bool {
        switch event.type {
        case YAML_ALIAS_EVENT:
            return stop()
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            guard data.anchor == nil else { return stop() }
            let style = Self.style(data.style)
            let top = omittedFrames.count - 1
            if top >= 0, omittedFrames[top].isMapping, omittedFrames[top].expectingKey {
                let text = String(decoding: Self.scalarBytes(event), as: UTF8.self)
                let span = scalarSpan(source.mark(event.start_mark), event.end_mark, hasProperties: data.tag != nil, style: style)
                if let first = omittedFrames[top].keys.firstSpan(of: text, at: span) {
                    duplicateKeys.append(YAMLDuplicateKey(key: text, first: first, duplicate: span))
                }
            }
            completeOmittedNode(.scalar(start: event.start_mark, end: event.end_mark, hasProperties: data.tag != nil, style: style))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard stack.count + omittedFrames.count < limits.maxDepth else {
                throw YAMLError(message: "collections nest deeper than \(limits.maxDepth) levels", mark: source.mark(event.start_mark))
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            guard anchor == nil else { return stop() }
            let isFlow = isMapping ? event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                : event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
            omittedFrames.append(OmittedFrame(isMapping: isMapping, isFlow: isFlow))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            // A flow collection ends at its bracket; a block one where its last value ends.
            completeOmittedNode(omittedFrames.removeLast().isFlow ? .bracket(event.end_mark) : nil)
        default:
            break
        }
        return false
    }

    /// Notes that a node inside the value left out is complete, `ending` the value there (nil: where
    /// its last value ends). In a mapping a value follows a key and a key a value; the value itself
    /// complete ends the omission.
    private mutating func completeOmittedNode(_ ending: Ending?) {
        if let ending { stack[0].omittedEnding = ending }
        let top = omittedFrames.count - 1
        if top >= 0 {
            if omittedFrames[top].isMapping { omittedFrames[top].expectingKey.toggle() }
            return
        }
        stack[0].endsOmitted = true
        omitting = false
    }

    /// Where a value left out ends.
    private func end(of ending: Ending) -> YAMLMark {
        switch ending {
        case .scalar(let start, let end, let hasProperties, let style):
            return scalarSpan(source.mark(start), end, hasProperties: hasProperties, style: style).end
        case .bracket(let end):
            return source.mark(end)
        }
    }

    /// Opens a collection whose start event spans `start..<end`.
    private mutating func open(isMapping: Bool, anchor: UnsafeMutablePointer<yaml_char_t>?, hasTag: Bool,
                               isFlow: Bool, start: YAMLMark, end: YAMLMark) throws(YAMLError) {
        guard stack.count < limits.maxDepth else {
            throw YAMLError(message: "collections nest deeper than \(limits.maxDepth) levels", mark: start)
        }
        let anchor = try define(anchor, at: start)
        let first = anchor != nil || hasTag ? source.contentStart(from: start, limit: end) : start
        stack.append(Frame(isMapping: isMapping, isFlow: isFlow, start: first, anchor: anchor))
    }

    /// The name of an anchor being defined, which must be new.
    private mutating func define(_ anchor: UnsafeMutablePointer<yaml_char_t>?, at mark: YAMLMark) throws(YAMLError) -> String? {
        guard let anchor else { return nil }
        let name = String(cString: anchor)
        guard anchorNames.insert(name).inserted else {
            throw YAMLError(message: "found duplicate anchor \"\(name)\"", mark: mark)
        }
        return name
    }

    /// Attaches a completed node to the open collection, or makes it the root.
    private mutating func add(_ node: YAMLNode) {
        guard !stack.isEmpty else {
            root = node
            return
        }
        // The open collection is changed where it lies in the stack: moving it out and back
        // would copy it.
        let top = stack.count - 1
        if !stack[top].isMapping {
            if stack[top].items.isEmpty { stack[top].items.reserveCapacity(Self.initialItems) }
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].pendingKey = nil
            if top == 0 { stack[0].endsOmitted = false }
            if stack[top].pairs.isEmpty { stack[top].pairs.reserveCapacity(Self.initialPairs) }
            stack[top].pairs.append(YAMLPair(key: key, value: node))
        } else {
            if case .scalar(let key) = node.kind {
                noteKey(key.text, span: node.span, inFrame: top)
            }
            stack[top].pendingKey = node
        }
    }

    /// Records a duplicate when the mapping at `index` already has the key `text`.
    private mutating func noteKey(_ text: String, span: YAMLSpan, inFrame index: Int) {
        if stack[index].firstKeySpans == nil, stack[index].pairs.count >= Self.keyIndexThreshold {
            var spans: [String: YAMLSpan] = [:]
            for p in stack[index].pairs {
                if case .scalar(let k) = p.key.kind, spans[k.text] == nil { spans[k.text] = p.key.span }
            }
            stack[index].firstKeySpans = spans
        }
        if stack[index].firstKeySpans != nil {
            if let first = stack[index].firstKeySpans![text] {
                duplicateKeys.append(YAMLDuplicateKey(key: text, first: first, duplicate: span))
            } else {
                stack[index].firstKeySpans![text] = span
            }
        } else {
            // The keys are looked at where they lie; only a duplicate's first key is copied.
            let pairs = stack[index].pairs
            if let i = pairs.indices.first(where: { pairs[$0].key.isScalar(text) }) {
                duplicateKeys.append(YAMLDuplicateKey(key: text, first: pairs[i].key.span, duplicate: span))
            }
        }
    }

    /// A scalar event's value, in libyaml's buffer (valid until the event is deleted).
    private static func scalarBytes(_ event: yaml_event_t) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length)
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    /// Writes the standard tags (`tag:yaml.org,2002:str`) in their usual short form (`!!str`).
    private static func shortTag(_ tag: String) -> String {
        let prefix = "tag:yaml.org,2002:"
        return tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }
}
