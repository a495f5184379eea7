/// The line ending a file uses.
public enum LineEnding: String, Sendable, Hashable {
    case lf = "\n", crlf = "\r\n", cr = "\r"
}

/// The YAML front matter of a model card, located as the Hugging Face Hub locates it.
public struct FrontMatter: Sendable, Hashable {
    /// Whether the file starts with a UTF-8 byte order mark (stripped before matching, as
    /// huggingface_hub's file loaders do).
    public var hasBOM: Bool
    /// Byte range of the opening fence, including its line break (and any whitespace before it).
    public var openingFence: Range<Int>
    /// Byte range of the YAML text between the fences (possibly empty).
    public var yaml: Range<Int>
    /// Byte range of the closing fence: the line break before `---`, the fence, trailing blanks and
    /// its own line break when there is one.
    public var closingFence: Range<Int>
    /// 1-based line number of the first line of `yaml`.
    public var yamlFirstLine: Int
    /// The line ending of the opening fence (the file's dominant one for edits).
    public var lineEnding: LineEnding

    /// Creates a front matter record.
    public init(hasBOM: Bool, openingFence: Range<Int>, yaml: Range<Int>, closingFence: Range<Int>,
                yamlFirstLine: Int, lineEnding: LineEnding) {
        self.hasBOM = hasBOM
        self.openingFence = openingFence
        self.yaml = yaml
        self.closingFence = closingFence
        self.yamlFirstLine = yamlFirstLine
        self.lineEnding = lineEnding
    }

    /// Byte offset where the body (text after the front matter) starts.
    public var bodyStart: Int { closingFence.upperBound }
}

/// Why the Hub would see no metadata in a card.
public enum FrontMatterAbsence: Sendable, Hashable {
    /// The file is empty or only whitespace.
    case empty
    /// The text does not begin with `---` (after optional whitespace): the card has no metadata.
    case noOpeningFence
    /// `---` is followed by spaces or other text on its line (`--- `), which the Hub does not accept.
    case openingFenceNotAlone(line: Int)
    /// An opening `---` with no closing `---` line.
    case unterminated(openingLine: Int)
    /// The block is closed by `...` (YAML's document end), which the Hub does not accept.
    case closedByDocumentEnd(line: Int)
    /// The file uses lone carriage returns as line breaks, which the Hub's regex does not match.
    case loneCarriageReturns
    /// `---` directly followed by `---`, with no line between (the Hub needs a line break inside).
    case emptyWithoutLine(line: Int)

    /// Whether the file looks like it meant to have front matter (everything but `empty` and
    /// `noOpeningFence`): such a card is an error, not a card without metadata.
    public var isMalformed: Bool {
        switch self {
        case .empty, .noOpeningFence: return false
        default: return true
        }
    }

    /// The 1-based line the problem is on, when there is one.
    public var line: Int? {
        switch self {
        case .openingFenceNotAlone(let l), .closedByDocumentEnd(let l), .emptyWithoutLine(let l): return l
        case .unterminated(let l): return l
        case .empty, .noOpeningFence, .loneCarriageReturns: return nil
        }
    }

    /// A lower-case explanation for messages.
    public var reason: String {
        switch self {
        case .empty: return "the file is empty"
        case .noOpeningFence: return "the file does not start with a `---` line"
        case .openingFenceNotAlone: return "the opening `---` has other characters after it on its line"
        case .unterminated: return "the opening `---` has no closing `---` line"
        case .closedByDocumentEnd: return "the block is closed with `...`; the Hub only accepts `---`"
        case .loneCarriageReturns: return "the file uses lone carriage returns (CR) as line breaks"
        case .emptyWithoutLine: return "`---` is followed directly by `---` with no line between"
        }
    }
}

/// The result of looking for front matter.
public enum FrontMatterResult: Sendable, Hashable {
    case found(FrontMatter)
    case absent(FrontMatterAbsence)
}

extension FrontMatterResult {
    /// The front matter, when it was found.
    public var frontMatter: FrontMatter? {
        if case .found(let frontMatter) = self { return frontMatter }
        return nil
    }
}

extension FrontMatter {
    /// Finds the front matter of `bytes` exactly as the Hugging Face Hub does: the regex
    /// `^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))` (huggingface_hub
    /// `repocard.py`, "exact same regex as in the Hub server"), after stripping a UTF-8 BOM.
    ///
    /// The match follows Python's `re`: `^` only at the start of the text, `\s` is Unicode
    /// whitespace, the first closing fence wins, and an opening `---\r\n` may fall back to `---\r`.
    /// Offsets are into `bytes`, BOM included; lines are counted with LF, CRLF and CR. When there is
    /// no match, the absence names the most specific reason.
    public static func locate(in bytes: [UInt8]) -> FrontMatterResult {
        let text = FenceText(bytes: bytes)
        let fence = text.openingFenceStart
        guard fence < bytes.count else { return .absent(.empty) }
        guard text.hasDashes(at: fence) else { return .absent(.noOpeningFence) }
        let afterDashes = fence + 3
        // The regex tries the opening break as `\r\n` first, then as `\r`.
        var openingBreaks: [Int] = []
        if afterDashes < bytes.count, bytes[afterDashes] == cr || bytes[afterDashes] == lf {
            openingBreaks = text.isCRLF(at: afterDashes) ? [2, 1] : [1]
        }
        for length in openingBreaks {
            let yamlStart = afterDashes + length
            // A closing fence begins with a line break: only those bytes are tried.
            var from = yamlStart
            while let p = bytes[from...].firstIndex(where: { $0 == cr || $0 == lf }) {
                from = p + 1
                guard let end = text.closingFenceEnd(at: p) else { continue }
                let lineEnding: LineEnding = text.isCRLF(at: afterDashes) ? .crlf : bytes[afterDashes] == cr ? .cr : .lf
                return .found(FrontMatter(
                    hasBOM: text.start == 3, openingFence: text.start..<yamlStart, yaml: yamlStart..<p,
                    closingFence: p..<end, yamlFirstLine: 1 + text.lineBreaks(in: text.start..<yamlStart),
                    lineEnding: lineEnding))
            }
        }
        return .absent(text.diagnose(fence: fence))
    }

    /// Parses the YAML between the fences, with marks into the whole of `bytes` (the bytes `locate`
    /// was given) and lines counted from the top of the file.
    public func parseDocument(in bytes: [UInt8], limits: YAMLLimits = .default) throws(YAMLError) -> YAMLDocument {
        try YAML.parse(bytes, range: yaml, firstLine: yamlFirstLine, limits: limits)
    }
}

private let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

/// Byte-level pieces of the Hub's front-matter regex, on the text after an optional BOM.
private struct FenceText {
    let bytes: [UInt8]
    /// Where the text starts: 3 after a UTF-8 BOM, else 0.
    let start: Int

    init(bytes: [UInt8]) {
        self.bytes = bytes
        start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The offset after the leading `\s*`.
    var openingFenceStart: Int {
        var i = start
        while let n = whitespaceLength(at: i) { i += n }
        return i
    }

    /// The length of the Python `\s` character (Unicode whitespace) at `i`, or nil.
    func whitespaceLength(at i: Int) -> Int? {
        guard i < bytes.count else { return nil }
        func next(_ k: Int) -> UInt8? { i + k < bytes.count ? bytes[i + k] : nil }
        switch bytes[i] {
        case 0x09...0x0D, 0x1C...0x20: return 1
        case 0xC2: return next(1) == 0x85 || next(1) == 0xA0 ? 2 : nil
        case 0xE1: return next(1) == 0x9A && next(2) == 0x80 ? 3 : nil
        case 0xE2:
            if next(1) == 0x81 { return next(2) == 0x9F ? 3 : nil }
            guard next(1) == 0x80, let b = next(2) else { return nil }
            return (0x80...0x8A).contains(b) || b == 0xA8 || b == 0xA9 || b == 0xAF ? 3 : nil
        case 0xE3: return next(1) == 0x80 && next(2) == 0x80 ? 3 : nil
        default: return nil
        }
    }

    /// Whether `---` (or three `mark`s) starts at `i`.
    func hasDashes(at i: Int, of mark: UInt8 = UInt8(ascii: "-")) -> Bool {
        i + 2 < bytes.count && bytes[i] == mark && bytes[i + 1] == mark && bytes[i + 2] == mark
    }

    func isCRLF(at i: Int) -> Bool { i + 1 < bytes.count && bytes[i] == cr && bytes[i + 1] == lf }

    /// The length of the line break at `i` (CRLF, CR or LF), or 0.
    func breakLength(at i: Int) -> Int {
        guard i < bytes.count else { return 0 }
        return isCRLF(at: i) ? 2 : bytes[i] == cr || bytes[i] == lf ? 1 : 0
    }

    /// The end of the regex's closing group `(?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$)` matched at `p`.
    func closingFenceEnd(at p: Int) -> Int? {
        let n = breakLength(at: p)
        guard n > 0, hasDashes(at: p + n) else { return nil }
        var i = p + n + 3
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        if i == bytes.count { return i }
        if bytes[i] == lf { return i + 1 }
        return isCRLF(at: i) ? i + 2 : nil
    }

    /// The number of line breaks (CRLF, CR, LF) in `range`.
    func lineBreaks(in range: Range<Int>) -> Int {
        range.reduce(0) { count, i in
            bytes[i] == cr || (bytes[i] == lf && !(i > range.lowerBound && bytes[i - 1] == cr)) ? count + 1 : count
        }
    }

    /// Why the regex did not match, given an opening `---` at `fence`.
    func diagnose(fence: Int) -> FrontMatterAbsence {
        let openingLine = 1 + lineBreaks(in: start..<fence)
        let afterDashes = fence + 3
        guard afterDashes < bytes.count else { return .unterminated(openingLine: openingLine) }
        let opening = breakLength(at: afterDashes)
        guard opening > 0 else { return .openingFenceNotAlone(line: openingLine) }
        if opening == 1, bytes[afterDashes] == cr { return .loneCarriageReturns }
        var i = afterDashes + opening
        var line = openingLine + 1
        while i < bytes.count {
            var end = i
            while end < bytes.count, bytes[end] != cr, bytes[end] != lf { end += 1 }
            if hasDashes(at: i), end >= i + 3, (i + 3..<end).allSatisfy({ bytes[$0] == 0x20 || bytes[$0] == 0x09 }) {
                // A `---` line the regex refused: it follows the opening directly, or a lone CR ends it.
                return line == openingLine + 1 ? .emptyWithoutLine(line: line) : .loneCarriageReturns
            }
            if hasDashes(at: i, of: UInt8(ascii: ".")), end == i + 3 || bytes[i + 3] == 0x20 || bytes[i + 3] == 0x09 {
                return .closedByDocumentEnd(line: line)
            }
            i = end + breakLength(at: end)
            line += 1
        }
        return .unterminated(openingLine: openingLine)
    }
}
