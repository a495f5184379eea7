import MLicenseYAML

/// A replacement of a byte range of a file; an empty range is an insertion.
public struct TextEdit: Sendable, Hashable {
    /// The bytes replaced, as offsets into the original file.
    public var range: Range<Int>
    /// What they are replaced with.
    public var replacement: [UInt8]

    /// Creates an edit.
    public init(range: Range<Int>, replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }

    /// Inserts `text` (UTF-8) at `offset`.
    public static func insert(_ text: String, at offset: Int) -> TextEdit {
        TextEdit(range: offset..<offset, replacement: Array(text.utf8))
    }

    /// Whether the two edits touch the same original bytes. Insertions at the same offset, or at
    /// either end of a replaced range, do not overlap: their order is the order they are given in.
    public func overlaps(_ other: TextEdit) -> Bool {
        if range.isEmpty || other.range.isEmpty {
            let (p, r) = range.isEmpty ? (range.lowerBound, other.range) : (other.range.lowerBound, range)
            return r.lowerBound < p && p < r.upperBound
        }
        return range.overlaps(other.range)
    }

    /// Applies non-overlapping `edits`, all expressed on `bytes`, from the end of the file backwards so
    /// that no edit moves another. At one offset, insertions come before a replacement, and insertions
    /// keep the order they are given in.
    public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8] {
        let ordered = edits.enumerated().sorted {
            ($0.element.range.lowerBound, $0.element.range.isEmpty ? 0 : 1, $0.offset)
                < ($1.element.range.lowerBound, $1.element.range.isEmpty ? 0 : 1, $1.offset)
        }
        var result = bytes
        for (_, e) in ordered.reversed() { result.replaceSubrange(e.range, with: e.replacement) }
        return result
    }
}

/// Why a fix cannot be applied to a file.
public struct FixError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What stands in the way, lower case without a trailing period.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// What happened to each action given to ``CardEditor/edit(_:applying:)``.
public enum FixOutcome: Sendable, Hashable {
    /// Its edits are in the result (possibly none, when the card already says it).
    case applied
    /// The same action was given earlier; it is applied once.
    case duplicate
    /// It was left out: it cannot be done, or it touches what an earlier action changes.
    case skipped(String)
}

/// The edits of several actions on one card, combined.
public struct CardEdit: Sendable, Hashable {
    /// The edits kept, on the original bytes.
    public var edits: [TextEdit]
    /// One outcome per action, in the order given.
    public var outcomes: [FixOutcome]
    /// The card's bytes with the edits applied.
    public var after: [UInt8]
}

/// Turns ``FixAction``s on a model card into byte edits, never re-serialising YAML.
///
/// Only the bytes of the value being set change, or whole lines are inserted; the byte order mark,
/// line endings (LF or CRLF, taken from the opening fence), comments, key order, quoting and flow
/// or block style of everything else are kept. Where a value is replaced, its quoting style is kept
/// (a plain value that would need quotes gets single quotes, as PyYAML writes them); a value written
/// as a block list or mapping is replaced, whole lines, by `key: value`. New keys go at the top of
/// the front matter (`license`, after leading comments), right after `license` (`license_name`,
/// `license_link`), after `base_model` (`base_model_relation`), or at the end (`base_model`), with
/// the indentation of the other top-level keys. A card without front matter gets one at the top
/// (after a byte order mark). A card whose front matter is malformed, not valid YAML, not a block
/// mapping, or only partly read is not edited.
///
/// With `license` set to an id other than `other`, `license_name` and `license_link` left from an
/// earlier `other` are kept: the Hub reads them only with `license: other`, and removing them could
/// take comments or unusual layouts with them.
public enum CardEditor {
    /// The edits that carry out `action` on `card`.
    public static func edits(for action: FixAction, in card: ModelCard) throws(FixError) -> [TextEdit] {
        let result = edit(card, applying: [action])
        if case .skipped(let why) = result.outcomes[0] { throw FixError(why) }
        return result.edits
    }

    /// Carries out `actions` on `card`, all computed on the original bytes. An action equal to an
    /// earlier one is applied once; an action that sets a key an earlier one sets, or whose edits
    /// overlap earlier edits, is skipped, as is one that cannot be done.
    public static func edit(_ card: ModelCard, applying actions: [FixAction]) -> CardEdit {
        var outcomes: [FixOutcome] = []
        var edits: [TextEdit] = []
        var keys = Set<String>()
        var newLines: [String] = []
        var appended: [String] = []
        var seen = Set<FixAction>()
        let editor: Editor
        do throws(FixError) { editor = try Editor(card) } catch {
            return CardEdit(edits: [], outcomes: actions.map { _ in .skipped(error.message) }, after: card.bytes)
        }
        for action in actions {
            guard seen.insert(action).inserted else { outcomes.append(.duplicate); continue }
            do throws(FixError) {
                let change = try editor.change(for: action)
                if let clash = change.keys.first(where: keys.contains) {
                    throw FixError("`\(clash)` is already changed by another fix")
                }
                if change.edits.contains(where: { e in edits.contains { $0.overlaps(e) } }) {
                    throw FixError("overlaps another fix")
                }
                keys.formUnion(change.keys)
                edits += change.edits
                newLines += change.lines
                appended += change.appended
                outcomes.append(.applied)
            } catch {
                outcomes.append(.skipped(error.message))
            }
        }
        var all = editor.merged(edits)
        if !newLines.isEmpty { all.insert(editor.newFrontMatter(newLines), at: 0) }
        if !appended.isEmpty { all.append(editor.append(appended)) }
        all = all.filter { $0.replacement != Array(card.bytes[$0.range]) }
        return CardEdit(edits: all, outcomes: outcomes, after: TextEdit.apply(all, to: card.bytes))
    }

    /// The text of `s` as a YAML scalar in `style`: quoted as before when quoted, else plain when
    /// PyYAML would read it back as the same string, else single-quoted.
    public static func render(_ s: String, style: YAMLScalarStyle = .plain) -> String {
        let needsEscapes = s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        switch style {
        case .doubleQuoted: return doubleQuoted(s)
        case .singleQuoted: return needsEscapes ? doubleQuoted(s) : "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        case .plain, .literal, .folded:
            if isPlainSafe(s) { return s }
            return render(s, style: .singleQuoted)
        }
    }

    /// Whether `s` can be written as a plain scalar, in block or flow context, and be read back by
    /// PyYAML as the same string (not null, a boolean, a number or a date). Errs towards quoting.
    public static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if first == " " || first == "\t" || last == " " || last == "\t" { return false }
        if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{FEFF}" }) { return false }
        if "-?:,[]{}#&*!|>'\"%@`=<".unicodeScalars.contains(first) { return false }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") { return false }
        if s.unicodeScalars.contains(where: { ",[]{}".unicodeScalars.contains($0) }) { return false }
        let scalar = YAMLScalar(text: s)
        if scalar.isNull || scalar.yaml11Boolean != nil || scalar.looksNumeric { return false }
        // Numbers with exponents, sexagesimal numbers, dates and `.inf` all start like this.
        if "0123456789+.".unicodeScalars.contains(first), !s.contains("/") { return false }
        return true
    }

    private static func doubleQuoted(_ s: String) -> String { YAMLQuoting.doubleQuoted(s) }
}

/// What one action does: edits inside an existing front matter, lines of a new front matter, lines
/// appended to the body, and the keys it sets (for conflicts).
private struct Change {
    var edits: [TextEdit] = []
    var lines: [String] = []
    var appended: [String] = []
    var keys: [String] = []
}

private let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

/// The facts about one card that edits need.
private struct Editor {
    let bytes: [UInt8]
    /// The front matter; nil when the card has none and one is to be inserted.
    let fm: FrontMatter?
    let pairs: [YAMLPair]
    let eol: String
    /// The indentation of the top-level keys.
    let indent: String

    init(_ card: ModelCard) throws(FixError) {
        bytes = card.bytes
        if card.isTruncated { throw FixError("the card is too large to edit") }
        fm = card.frontMatter
        if let fm {
            if card.yamlError != nil { throw FixError("the front matter is not valid yaml") }
            if let kind = card.rootNotMapping { throw FixError("the front matter is \(kind), not a mapping") }
            // The whole root: a card is read with only the pairs its checks read (``ModelCard/root``).
            let root = card.root
            if root?.isFlow == true { throw FixError("the front matter is a flow mapping") }
            if fm.lineEnding == .cr { throw FixError("the front matter uses lone carriage returns") }
            eol = fm.lineEnding.rawValue
            pairs = root?.mapping ?? []
        } else {
            if let why = card.absence, why.isMalformed { throw FixError("the front matter is malformed: \(why.reason)") }
            let crlf = zip(bytes, bytes.dropFirst()).filter { $0 == cr && $1 == lf }.count
            eol = crlf * 2 > bytes.filter({ $0 == lf }).count ? "\r\n" : "\n"
            pairs = []
        }
        if let key = pairs.first?.key.span.start.offset {
            let start = Self.lineStart(bytes, key)
            indent = bytes[start..<key].allSatisfy { $0 == 0x20 } ? String(repeating: " ", count: key - start) : ""
        } else {
            indent = ""
        }
    }

    // MARK: Actions

    func change(for action: FixAction) throws(FixError) -> Change {
        switch action {
        case .setLicense(let id, let name, let link):
            var c = Change(keys: ["license"])
            var after: [String] = []
            let license = pair("license")
            if let license { c.edits += try setScalar(license, id) }
            if id == "other" {
                if let name {
                    c.keys.append("license_name")
                    if let p = pair("license_name") { c.edits += try setScalar(p, name) } else { after.append(line("license_name", name)) }
                }
                if let link, !hasValue("license_link") {
                    c.keys.append("license_link")
                    if let p = pair("license_link") { c.edits += try setScalar(p, link) } else { after.append(line("license_link", link)) }
                }
            }
            // With any other id, license_name and license_link are left alone (see ``CardEditor``).
            if let license {
                if !after.isEmpty { c.edits.append(insert(after, at: nextLineStart(after: license))) }
            } else {
                add(&c, [line("license", id)] + after, at: topPoint)
            }
            return c
        case .completeOther(let name, let link):
            var c = Change()
            var after: [String] = []
            for (key, value) in [("license_name", name), ("license_link", link)] {
                guard let value, !hasValue(key) else { continue }
                c.keys.append(key)
                if let p = pair(key) { c.edits += try setScalar(p, value) } else { after.append(line(key, value)) }
            }
            if !after.isEmpty {
                add(&c, after, at: pair("license").map { nextLineStart(after: $0) } ?? topPoint)
            }
            return c
        case .addBaseModels(let ids):
            guard !ids.isEmpty else { return Change() }
            var c = Change(keys: ["base_model"])
            let flow = listStyle.flow
            let flowText = "[" + ids.map { CardEditor.render($0) }.joined(separator: ", ") + "]"
            let items = ids.map { String(repeating: " ", count: listStyle.indent) + "- " + CardEditor.render($0) }
            if let p = pair("base_model") {
                let present = (p.value.sequence ?? [p.value]).compactMap { $0.scalar }.filter { !$0.isNull && !$0.text.isEmpty }
                if Set(present.map(\.text)) == Set(ids) { return c }
                if !present.isEmpty || p.value.mapping != nil { throw FixError("base_model is already set") }
                if ids.count == 1 {
                    c.edits += try setScalar(p, ids[0])
                } else if flow {
                    c.edits += try setInline(p) { _ in flowText }
                } else {
                    c.edits += try setBlock(p, items)
                }
            } else {
                let lines = ids.count == 1 ? [line("base_model", ids[0])]
                    : flow ? ["base_model: " + flowText] : ["base_model:"] + items
                add(&c, lines, at: endPoint)
            }
            return c
        case .setRelation(let relation):
            var c = Change(keys: ["base_model_relation"])
            if let p = pair("base_model_relation") {
                c.edits += try setScalar(p, relation.rawValue)
            } else {
                add(&c, [line("base_model_relation", relation.rawValue)],
                    at: pair("base_model").map { nextLineStart(after: $0) } ?? endPoint)
            }
            return c
        case .appendToBody(let text):
            let body = fm.map { Array(bytes[$0.bodyStart...]) } ?? bytes
            return FixPlanner.contains(body, Array(text.utf8)) ? Change() : Change(appended: [text])
        case .writeFile:
            throw FixError("not a change to the card")
        case .none:
            return Change()
        }
    }

    /// Puts `lines` into a new front matter, or inserts them at `point` of the existing one.
    func add(_ c: inout Change, _ lines: [String], at point: Int) {
        if fm == nil { c.lines += lines } else { c.edits.append(insert(lines, at: point)) }
    }

    // MARK: Reading the front matter

    /// The last top-level pair with this key, as PyYAML reads duplicates.
    func pair(_ key: String) -> YAMLPair? {
        fm == nil ? nil : pairs.last { $0.key.scalar?.text == key }
    }

    /// Whether the key is present with a non-empty value.
    func hasValue(_ key: String) -> Bool {
        guard let v = pair(key)?.value else { return false }
        if let s = v.scalar { return !s.isNull && !s.text.isEmpty }
        return true
    }

    /// How lists are written in this file: flow, or block with the dash indented this far past its key.
    var listStyle: (flow: Bool, indent: Int) {
        for p in pairs {
            guard let items = p.value.sequence, let first = items.first else { continue }
            if p.value.isFlow { return (true, 0) }
            var dash = first.span.start.offset - 1
            while dash > 0, bytes[dash] != UInt8(ascii: "-"), bytes[dash] != lf { dash -= 1 }
            guard bytes[dash] == UInt8(ascii: "-") else { continue }
            let keyColumn = p.key.span.start.offset - Self.lineStart(bytes, p.key.span.start.offset)
            return (false, max(0, dash - Self.lineStart(bytes, dash) - keyColumn))
        }
        return (false, 0)
    }

    static func lineStart(_ bytes: [UInt8], _ p: Int) -> Int {
        var i = p
        while i > 0, bytes[i - 1] != lf, bytes[i - 1] != cr { i -= 1 }
        return i
    }

    /// The offset of the line break ending the line that holds `p` (or the end of the file).
    func lineEnd(_ p: Int) -> Int {
        var i = p
        while i < bytes.count, bytes[i] != lf, bytes[i] != cr { i += 1 }
        return i
    }

    /// The end of a node's text, stepping back over line breaks a span might end with.
    func contentEnd(_ node: YAMLNode) -> Int {
        var e = node.span.end.offset
        while e > node.span.start.offset, bytes[e - 1] == lf || bytes[e - 1] == cr { e -= 1 }
        return e
    }

    /// The start of the line after the pair's value (the closing `---` line after the last line).
    func nextLineStart(after pair: YAMLPair) -> Int {
        let end = lineEnd(isEmpty(pair.value) ? pair.key.span.end.offset : contentEnd(pair.value))
        if end < bytes.count, bytes[end] == cr, end + 1 < bytes.count, bytes[end + 1] == lf { return end + 2 }
        return min(end + 1, bytes.count)
    }

    /// Where the first top-level key's line starts, after leading comments; the end without keys.
    var topPoint: Int {
        pairs.first.map { Self.lineStart(bytes, $0.key.span.start.offset) } ?? endPoint
    }

    /// The start of the closing `---` line; for an empty block, the blank line's start.
    var endPoint: Int {
        guard let fm else { return 0 }
        if fm.yaml.isEmpty { return fm.yaml.lowerBound }
        let p = fm.closingFence.lowerBound
        return p + (bytes[p] == cr && p + 1 < bytes.count && bytes[p + 1] == lf ? 2 : 1)
    }

    func isEmpty(_ node: YAMLNode) -> Bool { node.span.byteRange.isEmpty }

    /// The offset just after the pair's `:`.
    func afterColon(_ pair: YAMLPair) throws(FixError) -> Int {
        var i = pair.key.span.end.offset
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
            throw FixError("`\(pair.key.scalar?.text ?? "")` is not written as `key: value`")
        }
        return i + 1
    }

    // MARK: Making edits

    func line(_ key: String, _ value: String) -> String { "\(key): \(CardEditor.render(value))" }

    /// Inserts whole lines, with the top-level indentation, at a line start.
    func insert(_ lines: [String], at point: Int) -> TextEdit {
        .insert(lines.map { indent + $0 + eol }.joined(), at: point)
    }

    /// Sets a pair's value to the string `value`, keeping a scalar's quoting style.
    func setScalar(_ pair: YAMLPair, _ value: String) throws(FixError) -> [TextEdit] {
        try setInline(pair) { CardEditor.render(value, style: $0) }
    }

    /// Sets a pair's value to inline text made for the old scalar style (plain for anything else).
    func setInline(_ pair: YAMLPair, _ text: (YAMLScalarStyle) -> String) throws(FixError) -> [TextEdit] {
        let v = pair.value
        if isEmpty(v) { return [.insert(" " + text(.plain), at: try afterColon(pair))] }
        if let s = v.scalar { return [TextEdit(range: v.span.byteRange, replacement: Array(text(s.style).utf8))] }
        if v.isFlow { return [TextEdit(range: v.span.byteRange, replacement: Array(text(.plain).utf8))] }
        // A block list or mapping: from the colon through the end of its last line.
        let start = try afterColon(pair)
        return [TextEdit(range: start..<lineEnd(contentEnd(v)), replacement: Array((" " + text(.plain)).utf8))]
    }

    /// Sets a pair's value to a block list of `items` (lines without the top-level indentation).
    func setBlock(_ pair: YAMLPair, _ items: [String]) throws(FixError) -> [TextEdit] {
        let v = pair.value
        let colon = try afterColon(pair)
        let range = isEmpty(v) ? lineEnd(colon)..<lineEnd(colon) : colon..<lineEnd(contentEnd(v))
        return [TextEdit(range: range, replacement: Array(items.map { eol + indent + $0 }.joined().utf8))]
    }

    /// Joins insertions at the same offset (in order), and for an empty front matter drops the last
    /// line break, since the closing fence's own line break ends the inserted line.
    func merged(_ edits: [TextEdit]) -> [TextEdit] {
        var out: [TextEdit] = []
        for e in edits {
            if e.range.isEmpty, let i = out.firstIndex(where: { $0.range == e.range }) {
                out[i].replacement += e.replacement
            } else {
                out.append(e)
            }
        }
        if let fm, fm.yaml.isEmpty, let i = out.firstIndex(where: { $0.range == fm.yaml }),
           out[i].replacement.count >= eol.utf8.count {
            out[i].replacement.removeLast(eol.utf8.count)
        }
        return out
    }

    /// A new front matter at the top of the file, after a byte order mark.
    func newFrontMatter(_ lines: [String]) -> TextEdit {
        let at = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return .insert((["---"] + lines + ["---"]).map { $0 + eol }.joined(), at: at)
    }

    /// Lines appended at the end of the file, as a paragraph of their own.
    func append(_ lines: [String]) -> TextEdit {
        var text = ""
        let content = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        if let last = content.last {
            if last != lf { text += eol }
            var end = content.endIndex
            if last == lf { end -= 1 }
            if end > content.startIndex, bytes[end - 1] == cr { end -= 1 }
            let start = max(content.startIndex, Self.lineStart(bytes, end))
            if bytes[start..<end].contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != cr }) { text += eol }
        }
        return .insert(text + lines.map { $0 + eol }.joined(), at: bytes.count)
    }
}
