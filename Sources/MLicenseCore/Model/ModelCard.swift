import MLicenseYAML

/// A field of the card's front matter: the key and value nodes as written.
public struct CardField: Sendable {
    /// The key as written.
    public var key: YAMLNode
    /// The value as written.
    public var value: YAMLNode
    /// Where the value is (for an empty value: where the key is).
    public var location: SourceLocation

    /// The value when it is a non-null scalar that PyYAML reads as a string (not a boolean, a
    /// number or null).
    public var string: String? {
        guard let s = value.scalar, !s.isNull, s.yaml11Boolean == nil, !s.looksNumeric else { return nil }
        return s.text
    }
}

/// A model the card's body names, with the phrase that says how it relates.
public struct BodyModelMention: Sendable, Hashable {
    /// How the body relates the model to this one.
    public enum Kind: String, Sendable, Hashable {
        /// "GGUF quants of", "quantized version of", …
        case quantizedFrom
        /// "fine-tuned from", "fine-tuned version of", …
        case finetunedFrom
        /// A link with no lineage phrase on its line.
        case link
    }
    /// The Hub id.
    public var id: String
    /// How it is named.
    public var kind: Kind
    /// The phrase, when there is one.
    public var phrase: String?
    /// Where.
    public var location: SourceLocation
}

/// A model card (README.md): its front matter as the Hub reads it, the fields that matter for
/// lineage and licensing, and the body.
public struct ModelCard: Sendable {
    /// What was read, in one immutable box: a card is handed from discovery to the model reader
    /// to the rules, and copying it then costs one reference count instead of one per field.
    private final class Storage: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private struct Fields: Sendable {
        var path: String
        var bytes: [UInt8]
        var isTruncated: Bool
        var frontMatter: FrontMatter?
        var absence: FrontMatterAbsence?
        var yamlError: YAMLError?
        var rootNotMapping: String?
        /// The root mapping, with the pairs of ``ModelCard/readKeys`` only when `rootIsPartial`.
        var root: YAMLNode?
        var rootIsPartial = false
        var duplicateKeys: [YAMLDuplicateKey]
        /// What is read from `root` for every model; set whenever `root` is.
        var read = ReadFields()
    }

    /// The fields every model's check reads (several stages each), taken from the root once when
    /// the card is read instead of on every access.
    private struct ReadFields: Sendable {
        var license: CardField?
        var licenseName: CardField?
        var licenseLink: CardField?
        var baseModelRelation: CardField?
        var baseModels: [Located<String>]
        var tags: [String]

        /// None of the fields (a card without a root mapping).
        init() {
            baseModels = []
            tags = []
        }

        init(root: YAMLNode?, path: String) {
            license = ModelCard.field("license", in: root, path: path)
            licenseName = ModelCard.field("license_name", in: root, path: path)
            licenseLink = ModelCard.field("license_link", in: root, path: path)
            baseModelRelation = ModelCard.field("base_model_relation", in: root, path: path)
            baseModels = ModelCard.baseModels(ModelCard.field("base_model", in: root, path: path), path: path)
            tags = ModelCard.tags(ModelCard.field("tags", in: root, path: path))
        }
    }

    private let storage: Storage

    private init(_ fields: Fields) { storage = Storage(fields) }

    /// The same card with `root` as its front matter's root mapping (what a rule asks of the card
    /// without one of its fields).
    public func replacingRoot(_ root: YAMLNode?) -> ModelCard {
        var f = storage.fields
        f.root = root
        f.rootIsPartial = false
        f.read = ReadFields(root: root, path: f.path)
        return ModelCard(f)
    }

    /// Path of the README.md.
    public var path: String { storage.fields.path }
    /// The bytes read (the whole file, or its head when ``isTruncated``).
    public var bytes: [UInt8] { storage.fields.bytes }
    /// Whether only the head of a very large file was read.
    public var isTruncated: Bool { storage.fields.isTruncated }
    /// The front matter, when the Hub would find one.
    public var frontMatter: FrontMatter? { storage.fields.frontMatter }
    /// Why the Hub would see no metadata, when it would not.
    public var absence: FrontMatterAbsence? { storage.fields.absence }
    /// The YAML error, when the front matter is not valid YAML.
    public var yamlError: YAMLError? { storage.fields.yamlError }
    /// The kind of the root when it is not a mapping ("a list", "a string").
    public var rootNotMapping: String? { storage.fields.rootNotMapping }
    /// The root mapping of the front matter, every pair of it.
    ///
    /// A card is read with the pairs of ``readKeys`` only (the others are checked but not built);
    /// when it has others, they are parsed again here, for the editor of ``CardEditor``.
    public var root: YAMLNode? {
        guard storage.fields.rootIsPartial, let fm = frontMatter else { return storage.fields.root }
        return (try? YAML.parse(bytes, range: fm.yaml, firstLine: fm.yamlFirstLine))?.root
    }

    /// The root mapping as read: the pairs of ``readKeys``, and all of them when it has no others.
    var metadata: YAMLNode? { storage.fields.root }

    /// The front matter's keys mlicense reads (the lineage, the license, the name, the rules).
    /// A card is read with only these pairs built: the rest of a Hub card (`language`,
    /// `datasets`, `widget`, `pipeline_tag`, …) is validated, and its duplicate keys reported,
    /// without a tree.
    public static let readKeys = YAMLKeySet([
        "license", "license_name", "license_link", "base_model", "base_model_relation", "tags", "model_name",
        "model-index", "library_name", "model_link", "quantized_by",
    ])
    /// Keys written twice.
    public var duplicateKeys: [YAMLDuplicateKey] { storage.fields.duplicateKeys }

    /// Reads a card. Never fails: problems are recorded on the card.
    public init(path: String, bytes: [UInt8], isTruncated: Bool = false) {
        var f = Fields(path: path, bytes: bytes, isTruncated: isTruncated, frontMatter: nil, absence: nil, yamlError: nil,
                       rootNotMapping: nil, root: nil, duplicateKeys: [])
        switch FrontMatter.locate(in: bytes) {
        case .absent(let why):
            f.absence = why
        case .found(let fm):
            f.frontMatter = fm
            do {
                let doc = try YAML.parse(bytes, range: fm.yaml, firstLine: fm.yamlFirstLine, rootKeys: Self.readKeys)
                f.duplicateKeys = doc.duplicateKeys
                if let r = doc.root {
                    if r.mapping != nil { f.root = r } else if !(r.scalar?.isNull ?? false) { f.rootNotMapping = r.kindDescription }
                }
                f.rootIsPartial = doc.omitsRootPairs
            } catch {
                f.yamlError = error
            }
        }
        f.read = ReadFields(root: f.root, path: path)
        storage = Storage(f)
    }

    /// Whether the front matter exists and is a valid YAML mapping (or empty).
    public var hasValidMetadata: Bool { frontMatter != nil && yamlError == nil && rootNotMapping == nil }

    /// The field `key`, when present (the last one, as PyYAML reads duplicates).
    public func field(_ key: String) -> CardField? {
        // A key of the pairs read is found there; another one, in the whole root.
        if let f = Self.field(key, in: metadata, path: path) { return f }
        guard storage.fields.rootIsPartial, !Self.readKeys.contains(key) else { return nil }
        return Self.field(key, in: root, path: path)
    }

    /// The field `key` of the root mapping `root` of the card at `path`.
    private static func field(_ key: String, in root: YAMLNode?, path: String) -> CardField? {
        guard let pair = root?.pair(key) else { return nil }
        let v = pair.value
        let isEmpty = v.scalar?.isNull ?? false
        let mark = isEmpty ? pair.key.span.start : v.span.start
        return CardField(key: pair.key, value: v,
                         location: SourceLocation(path: path, line: mark.line, column: mark.column))
    }

    /// `license`.
    public var license: CardField? { storage.fields.read.license }
    /// `license_name`.
    public var licenseName: CardField? { storage.fields.read.licenseName }
    /// `license_link`.
    public var licenseLink: CardField? { storage.fields.read.licenseLink }
    /// `base_model_relation`.
    public var baseModelRelation: CardField? { storage.fields.read.baseModelRelation }

    /// The ids under `base_model` (a string or a list of strings), each with its location.
    public var baseModels: [Located<String>] { storage.fields.read.baseModels }

    /// The `tags` as lower-cased strings.
    public var tags: [String] { storage.fields.read.tags }

    /// The ids of a `base_model` field of the card at `path`.
    private static func baseModels(_ field: CardField?, path: String) -> [Located<String>] {
        guard let f = field else { return [] }
        let nodes = f.value.sequence ?? [f.value]
        return nodes.compactMap { n in
            guard let s = n.scalar, !s.isNull else { return nil }
            let text = s.text.trimmed(" \t")
            guard !text.isEmpty else { return nil }
            return Located(text, at: SourceLocation(path: path, line: n.span.start.line, column: n.span.start.column),
                           byteRange: n.span.byteRange)
        }
    }

    /// The lower-cased strings of a `tags` field.
    private static func tags(_ field: CardField?) -> [String] {
        guard let f = field else { return [] }
        return (f.value.sequence ?? [f.value]).compactMap { $0.scalar?.text.lowercasedSharingASCII }
    }

    /// A string field, when present and a string.
    public func string(_ key: String) -> Located<String>? {
        guard let f = field(key), let s = f.string else { return nil }
        return Located(s, at: f.location, byteRange: f.value.span.byteRange)
    }

    /// The model's name as the card gives it: `model_name`, else `model-index[0].name`.
    public var declaredName: Located<String>? {
        if let n = string("model_name") { return n }
        if let idx = field("model-index")?.value.sequence?.first, let n = idx["name"], let s = n.scalar?.text {
            return Located(s, at: SourceLocation(path: path, line: n.span.start.line, column: n.span.start.column))
        }
        return nil
    }

    /// The body's byte range: after the front matter, or the whole file without one.
    public var bodyRange: Range<Int> { (frontMatter?.bodyStart ?? 0)..<bytes.count }

    /// The body as text (invalid UTF-8 repaired).
    public var body: String { String(decoding: bytes[bodyRange], as: UTF8.self) }

    /// The line number of the first body line.
    public var bodyFirstLine: Int {
        guard let fm = frontMatter else { return 1 }
        return 1 + bytes[..<fm.bodyStart].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    /// The body's lines with their 1-based line numbers.
    public var bodyLines: [(line: Int, text: Substring)] {
        let text = body
        var result: [(Int, Substring)] = []
        var n = bodyFirstLine
        // "\r\n" is one Character in Swift: split on it as on "\n".
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            result.append((n, line.hasSuffix("\r") ? line.dropLast() : line))
            n += 1
        }
        return result
    }

    /// The text of the first `# ` heading of the body, with its location.
    public var firstHeading: Located<String>? {
        var inFence = false
        for (n, line) in bodyLines {
            if line.hasPrefix("```") { inFence.toggle(); continue }
            if !inFence, line.hasPrefix("# ") {
                let title = String(line.dropFirst(2)).trimmed(" \t#")
                if !title.isEmpty { return Located(title, at: SourceLocation(path: path, line: n, column: 3)) }
            }
        }
        return nil
    }

    /// The YAML of the first fenced ```yaml block after a heading containing "Configuration"
    /// (mergekit's and LazyMergekit's generated cards), with the line of its first YAML line.
    public var configurationBlock: (yaml: [UInt8], range: Range<Int>, firstLine: Int)? {
        guard bodyHasBacktickRun else { return nil }
        var afterHeading = false
        var line = bodyFirstLine
        var blockStart: (offset: Int, line: Int)?
        let text = bytes
        var i = bodyRange.lowerBound
        while i <= text.count {
            let end = text[i...].firstIndex(of: 0x0A) ?? text.count
            var lineBytes = text[i..<end]
            if lineBytes.last == 0x0D { lineBytes = lineBytes.dropLast() }
            let kind = Self.configurationLineKind(lineBytes, afterHeading: afterHeading)
            if let start = blockStart {
                if kind.isFence {
                    return (Array(text[start.offset..<i]), start.offset..<i, start.line)
                }
            } else if let heading = kind.headingMentionsConfiguration {
                afterHeading = heading
            } else if afterHeading, kind.isFence {
                if kind.opensYAML { blockStart = (end + 1, line + 1) }
            }
            if end >= text.count { break }
            i = end + 1
            line += 1
        }
        return nil
    }

    /// The YAML of the first fenced block anywhere in the body that holds a mergekit
    /// configuration (a line starting `merge_method:`, `slices:` or `models:`), when no block
    /// follows a "Configuration" heading: cards write it under any heading.
    public var mergekitBlock: (yaml: [UInt8], range: Range<Int>, firstLine: Int)? {
        guard bodyHasBacktickRun else { return nil }
        if let b = configurationBlock { return b }
        guard ModelDiscovery.contains(bytes, Self.mergeMethodNeedle) else { return nil }
        for block in fencedBlocks where block.isYAML {
            let lines = block.text.split(separator: "\n")
            let hasMethod = lines.contains { $0.hasPrefix("merge_method:") }
            let hasModels = lines.contains { $0.hasPrefix("slices:") || $0.hasPrefix("models:") }
            if hasMethod && hasModels { return (Array(bytes[block.range]), block.range, block.firstLine) }
        }
        return nil
    }

    static let mergeMethodNeedle = Array("merge_method:".utf8)

    /// Whether the body holds three backticks in a row, which every code fence begins with
    /// (CommonMark's fences are literal backticks, and only those are looked for here): a body
    /// without them has no fenced block, so the blocks need not be looked for line by line.
    var bodyHasBacktickRun: Bool {
        let tick = UInt8(ascii: "`")
        var run = 0
        for i in bodyRange {
            if bytes[i] == tick {
                run += 1
                if run == 3 { return true }
            } else {
                run = 0
            }
        }
        return false
    }

    /// A fenced code block of the body: its byte range (inside the fences), first line, and
    /// whether its info string is empty, `yaml` or `yml`.
    struct FencedBlock {
        var range: Range<Int>
        var firstLine: Int
        var isYAML: Bool
        var text: Substring
    }

    /// The body's fenced code blocks (``` fences), in order.
    var fencedBlocks: [FencedBlock] {
        var out: [FencedBlock] = []
        var open: (start: Int, line: Int, yaml: Bool)?
        for l in bodyByteLines {
            let t = l.text.trimmed(" \t")
            guard t.hasPrefix("```") else { continue }
            if let o = open {
                let r = o.start..<l.range.lowerBound
                out.append(FencedBlock(range: r, firstLine: o.line, isYAML: o.yaml,
                                       text: Substring(String(decoding: bytes[r], as: UTF8.self))))
                open = nil
            } else {
                let lang = String(t.dropFirst(3)).trimmed(" \t").lowercased()
                open = (l.range.upperBound, l.line + 1, lang.isEmpty || lang == "yaml" || lang == "yml")
            }
        }
        return out
    }

    /// The body's lines as byte ranges (line break excluded, a CR before it too), with their
    /// 1-based line numbers and text; a line's range ends where the next line begins minus the break.
    var bodyByteLines: [(line: Int, range: Range<Int>, text: String)] {
        var out: [(Int, Range<Int>, String)] = []
        var i = bodyRange.lowerBound
        var n = bodyFirstLine
        while i < bytes.count {
            let end = bytes[i...].firstIndex(of: 0x0A) ?? bytes.count
            var textEnd = end
            if textEnd > i, bytes[textEnd - 1] == 0x0D { textEnd -= 1 }
            out.append((n, i..<(end < bytes.count ? end + 1 : end), String(decoding: bytes[i..<textEnd], as: UTF8.self)))
            i = end + 1
            n += 1
        }
        return out
    }

    static let fenceNeedle = Array("\n---".utf8)

    /// The keys that make a YAML block a model card's metadata.
    static let metadataKeys: Set<String> = ["license", "license_name", "license_link", "base_model", "base_model_relation"]

    /// When the Hub sees no metadata because the card does not begin with it: a `---` … `---`
    /// block further down (outside code fences) whose YAML is a mapping with card fields
    /// (`license`, `base_model`, …). The Hub reads metadata only at the very top
    /// (huggingface_hub `repocard.py`), so none of it counts.
    public var misplacedMetadata: (line: Int, keys: [String])? {
        guard absence == .noOpeningFence, ModelDiscovery.contains(bytes, Self.fenceNeedle) else { return nil }
        let lines = bodyByteLines
        var inFence = false
        var i = 0
        while i < lines.count {
            let t = lines[i].text.trimmed(" \t")
            if t.hasPrefix("```") { inFence.toggle() }
            if !inFence, lines[i].text == "---",
               let close = lines[(i + 1)...].firstIndex(where: { $0.text == "---" || $0.text.hasPrefix("```") }),
               lines[close].text == "---", close > i + 1 {
                let range = lines[i + 1].range.lowerBound..<lines[close].range.lowerBound
                if let doc = try? YAML.parse(bytes, range: range, firstLine: lines[i + 1].line),
                   let pairs = doc.root?.mapping {
                    let keys = pairs.compactMap { $0.key.scalar?.text }
                    if keys.contains(where: Self.metadataKeys.contains) { return (lines[i].line, keys) }
                }
                i = close
            }
            i += 1
        }
        return nil
    }

    /// What a body line is for ``configurationBlock``, trimmed of spaces and tabs: a fence (and
    /// whether it opens a YAML block), a heading (and whether it mentions "configuration").
    private struct ConfigurationLine {
        var isFence = false
        var opensYAML = false
        var headingMentionsConfiguration: Bool?
    }

    private static func configurationLineKind(_ line: ArraySlice<UInt8>, afterHeading: Bool) -> ConfigurationLine {
        var kind = ConfigurationLine()
        guard line.allSatisfy({ $0 < 0x80 }) else {
            // Characters decide: trimming and prefixes work on grapheme clusters.
            let trimmed = String(decoding: line, as: UTF8.self).trimmed(" \t")
            if trimmed.hasPrefix("```") {
                kind.isFence = true
                let lang = String(trimmed.dropFirst(3)).trimmed(" \t").lowercased()
                kind.opensYAML = lang == "yaml" || lang == "yml" || lang.isEmpty
            } else if trimmed.hasPrefix("#") {
                kind.headingMentionsConfiguration = trimmed.lowercased().contains("configuration")
            }
            return kind
        }
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        var t = line
        while let f = t.first, isBlank(f) { t = t.dropFirst() }
        while let l = t.last, isBlank(l) { t = t.dropLast() }
        let tick = UInt8(ascii: "`")
        if t.count >= 3, t[t.startIndex] == tick, t[t.startIndex + 1] == tick, t[t.startIndex + 2] == tick {
            kind.isFence = true
            var lang = t.dropFirst(3)
            while let f = lang.first, isBlank(f) { lang = lang.dropFirst() }
            kind.opensYAML = lang.isEmpty || Self.equalsIgnoringASCIICase(lang, "yaml") || Self.equalsIgnoringASCIICase(lang, "yml")
        } else if t.first == UInt8(ascii: "#") {
            let needle = Array("configuration".utf8)
            var found = false
            if t.count >= needle.count {
                var j = t.startIndex
                while j + needle.count <= t.endIndex, !found {
                    found = (0..<needle.count).allSatisfy { t[j + $0] | 0x20 == needle[$0] }
                    j += 1
                }
            }
            kind.headingMentionsConfiguration = found
        }
        return kind
    }

    private static func equalsIgnoringASCIICase(_ a: ArraySlice<UInt8>, _ b: String) -> Bool {
        a.count == b.utf8.count && zip(a, b.utf8).allSatisfy { x, y in
            (x >= UInt8(ascii: "A") && x <= UInt8(ascii: "Z") ? x | 0x20 : x) == y
        }
    }

    /// A license stated in the body in the Hub template's style (`- **License:** MIT`), with its
    /// location; the Hub does not read it, but it shows what the author meant.
    public var bodyLicense: Located<String>? {
        for (n, line) in bodyLines {
            var s = Substring(line).drop { $0 == " " || $0 == "\t" || $0 == "-" || $0 == "*" }
            guard s.lowercased().hasPrefix("license") else { continue }
            s = s.dropFirst("license".count)
            let separator = s.prefix { $0 == "*" || $0 == ":" || $0 == " " }
            guard separator.contains(":") else { continue }
            s = s.dropFirst(separator.count)
            let value = String(s).trimmed(" \t*`.")
            guard !value.isEmpty, value.count <= 60, !value.lowercased().contains("more information needed")
            else { continue }
            return Located(value, at: SourceLocation(path: path, line: n, column: 1))
        }
        return nil
    }

    /// Phrases of the body that say what a model was made from, and what they make it.
    static let lineagePhrases: [(phrase: String, kind: BodyModelMention.Kind)] = [
        ("gguf quants of", .quantizedFrom), ("quants of", .quantizedFrom), ("quantized version of", .quantizedFrom),
        ("quantised version of", .quantizedFrom), ("quantization of", .quantizedFrom), ("quantizations of", .quantizedFrom),
        ("quantized from", .quantizedFrom), ("gguf version of", .quantizedFrom), ("gguf format of", .quantizedFrom),
        ("gguf conversion of", .quantizedFrom), ("gguf model files for", .quantizedFrom), ("model files for", .quantizedFrom),
        ("quantized model of", .quantizedFrom), ("converted from", .quantizedFrom),
        // mlx-lm's card template: "This model was converted to MLX format from [`org/name`]()".
        ("converted to mlx format from", .quantizedFrom),
        // The quantizers' card templates: "Original model: [org/name](…)", "Base model: …".
        ("original model", .quantizedFrom), ("base model", .quantizedFrom),
        ("fine-tuned from", .finetunedFrom), ("finetuned from", .finetunedFrom), ("fine-tuned version of", .finetunedFrom),
        ("finetuned version of", .finetunedFrom), ("fine-tune of", .finetunedFrom), ("finetune of", .finetunedFrom),
        ("fine-tuned on top of", .finetunedFrom), ("trained on top of", .finetunedFrom),
        // Vision-language and distilled models' cards: "built upon [SigLIP](…) and [Llama-3-8B-Instruct](…)",
        // "Our models are distilled from [org/name](…)".
        ("built upon", .finetunedFrom), ("built on top of", .finetunedFrom), ("distilled from", .finetunedFrom),
        // "**Parent Models:** [google/siglip-…](…) and [mistralai/Mistral-7B-v0.1](…)" (HuggingFaceM4/idefics2-8b).
        ("parent model", .finetunedFrom),
    ]

    /// Whether the body holds one of ``lineagePhrases`` (ASCII case folded; a byte search).
    /// One pass over the body: at each byte only the phrases that begin with it are compared.
    public var bodyHasLineagePhrase: Bool {
        func fold(_ b: UInt8) -> UInt8 { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b }
        let body = bytes[bodyRange]
        let byFirst = Self.lineagePhrasesByFirstByte
        var i = body.startIndex
        while i < body.endIndex {
            for p in byFirst[Int(fold(body[i]))] where body.endIndex - i >= p.count {
                var k = 1
                while k < p.count, fold(body[i + k]) == p[k] { k += 1 }
                if k == p.count { return true }
            }
            i += 1
        }
        return false
    }

    /// The bytes of ``lineagePhrases`` (lower case), by their first byte.
    static let lineagePhrasesByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for p in lineagePhrases { let b = Array(p.phrase.utf8); table[Int(b[0])].append(b) }
        return table
    }()

    /// The models the body names, outside code blocks: `huggingface.co/ORG/NAME` links and
    /// backticked or linked `org/name` ids, each with the lineage phrase of its line ("GGUF quants
    /// of", "fine-tuned from", …) when there is one. Weak evidence: the Hub does not read the body.
    public var bodyModelMentions: [BodyModelMention] {
        var out: [BodyModelMention] = []
        // The (kind, id) pairs already kept: a set, so a body of many links stays linear.
        var seen = Set<String>()
        var inFence = false
        for (n, line) in bodyLines {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("```") { inFence.toggle(); continue }
            guard !inFence, line.utf8.contains(UInt8(ascii: "/")) else { continue }
            var ids = Self.modelIDs(in: line)
            if ids.isEmpty, let id = Self.templateBaseID(in: line) { ids = [id] }
            guard !ids.isEmpty else { continue }
            let lower = line.lowercased()
            // A phrase names the model that follows it ("fine-tuned from X", "Original model: X"):
            // in "- [org/x-base](…): the base model" the phrase describes a sibling, not a parent.
            let scalars = Array(lower.unicodeScalars)
            let phrases = Self.lineagePhrases.compactMap { p in Self.firstOffset(of: p.phrase, in: scalars).map { (p, $0) } }
            for (id, column) in ids {
                let phrase = phrases.first { $0.1 < column - 1 }?.0
                let kind = phrase?.kind ?? .link
                guard seen.insert("\(kind.rawValue) \(id.lowercased())").inserted else { continue }
                out.append(BodyModelMention(id: id, kind: kind, phrase: phrase?.phrase,
                                            location: SourceLocation(path: path, line: n, column: column)))
            }
        }
        return out
    }

    /// The bare `org/name` of the Hub model-card template's line "- **Finetuned from model [optional]:**
    /// org/name" (Unsloth writes "Finetuned from model :"), with its column: the one place a card names
    /// a base as plain text, after its own label.
    static func templateBaseID(in line: Substring) -> (String, Int)? {
        let label = Array("finetuned from model".unicodeScalars)
        let scalars = Array(line.lowercased().unicodeScalars)
        guard let at = firstOffset(of: "finetuned from model", in: scalars) else { return nil }
        var i = at + label.count
        // The label's rest: " [optional]", spaces, "**", ":".
        if let close = firstOffset(of: "[optional]", in: Array(scalars[i...])), close <= 1 { i += close + "[optional]".count }
        while i < scalars.count, " *:_".unicodeScalars.contains(scalars[i]) { i += 1 }
        var j = i
        while j < scalars.count, !" \t*`,;)".unicodeScalars.contains(scalars[j]) { j += 1 }
        guard j > i else { return nil }
        // Lower-casing can change the number of scalars (U+0130); then the offsets do not carry over.
        let original = Array(line.unicodeScalars)
        guard original.count == scalars.count else { return nil }
        var text = String(String.UnicodeScalarView(original[i..<j]))
        while text.hasSuffix(".") { text.removeLast() }
        guard text.contains("/"), ModelReference.classify(text) == .hub else { return nil }
        return (text, i + 1)
    }

    /// Where `needle` (ASCII) first starts in `scalars`, in Unicode scalars.
    static func firstOffset(of needle: String, in scalars: [Unicode.Scalar]) -> Int? {
        let n = Array(needle.unicodeScalars)
        guard !n.isEmpty, scalars.count >= n.count else { return nil }
        for i in 0...(scalars.count - n.count) where scalars[i] == n[0] {
            if (1..<n.count).allSatisfy({ scalars[i + $0] == n[$0] }) { return i }
        }
        return nil
    }

    /// The Hub model ids a line names: `huggingface.co/org/name` URLs, and `org/name` in
    /// backticks or as a markdown link's text; with their 1-based columns (in Unicode scalars).
    /// Read byte by byte: every byte that ends a URL or an id is ASCII.
    static func modelIDs(in line: Substring) -> [(String, Int)] {
        let bytes = Array(line.utf8)
        var found: [(String, Int)] = []
        func column(_ i: Int) -> Int { String(decoding: bytes[..<i], as: UTF8.self).unicodeScalars.count + 1 }
        func isStop(_ b: UInt8) -> Bool {
            switch b {
            case 0x20, 0x09, UInt8(ascii: ")"), UInt8(ascii: "("), UInt8(ascii: "]"), UInt8(ascii: "["), UInt8(ascii: "\""),
                 UInt8(ascii: "'"), UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: ","), UInt8(ascii: "`"), UInt8(ascii: "*"):
                return true
            default: return false
            }
        }
        func add(_ id: String, _ at: Int) {
            if !found.contains(where: { $0.0.lowercased() == id.lowercased() }) { found.append((id, column(at))) }
        }
        let http = Array("http".utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b | 0x20 == UInt8(ascii: "h"), i + 4 <= bytes.count, zip(bytes[i..<(i + 4)], http).allSatisfy({ $0 | 0x20 == $1 }) {
                var j = i
                while j < bytes.count, !isStop(bytes[j]) { j += 1 }
                if let id = ModelReference.hubID(fromURL: String(decoding: bytes[i..<j], as: UTF8.self)) { add(id, i) }
                i = j
                continue
            }
            if b == UInt8(ascii: "`") || b == UInt8(ascii: "[") {
                let close = b == UInt8(ascii: "`") ? b : UInt8(ascii: "]")
                // An id is short: look for the closing mark nearby only, so a line of brackets stays linear.
                let window = (i + 1)..<min(bytes.count, i + 1 + 160)
                if let end = bytes[window].firstIndex(of: close), bytes[(i + 1)..<end].contains(UInt8(ascii: "/")) {
                    let text = String(decoding: bytes[(i + 1)..<end], as: UTF8.self).trimmed(" \t")
                    if ModelReference.classify(text) == .hub { add(text, i + 1) }
                }
            }
            i += 1
        }
        return found
    }

    /// Whether the body contains `text`, ignoring case.
    public func bodyContains(_ text: String) -> Bool {
        body.lowercased().contains(text.lowercased())
    }
}
