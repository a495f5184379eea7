import Foundation
import MLicenseYAML
import Testing

/// Whether two trees are the same: kinds, texts, styles, tags, spans, flow styles, anchors.
func sameTree(_ a: YAMLNode?, _ b: YAMLNode?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    guard a.span == b.span, a.isFlow == b.isFlow, a.anchor == b.anchor, a.isAlias == b.isAlias else { return false }
    switch (a.kind, b.kind) {
    case (.scalar(let x), .scalar(let y)): return x == y
    case (.sequence(let x), .sequence(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameTree($0, $1) }
    case (.mapping(let x), .mapping(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { sameTree($0.key, $1.key) && sameTree($0.value, $1.value) }
    default: return false
    }
}

/// The outcome of a parse, to compare a parse given root keys with the full one.
enum ParseOutcome {
    case document(YAMLDocument)
    case error(YAMLError)

    init(_ bytes: [UInt8], range: Range<Int>? = nil, firstLine: Int = 1, limits: YAMLLimits = .default, rootKeys: YAMLKeySet? = nil) {
        do {
            self = .document(try YAML.parse(bytes, range: range, firstLine: firstLine, limits: limits, rootKeys: rootKeys))
        } catch {
            self = .error(error)
        }
    }
}

/// What a parse given `keys` must give: the full parse with the root mapping's pairs whose key
/// is a scalar outside `keys` left out, everything else the same (the root's span, duplicate keys,
/// errors). Returns a description of the first difference, or nil.
func selectionDifference(_ bytes: [UInt8], range: Range<Int>? = nil, firstLine: Int = 1, limits: YAMLLimits = .default,
                         keys: YAMLKeySet) -> String? {
    let full = ParseOutcome(bytes, range: range, firstLine: firstLine, limits: limits)
    let selected = ParseOutcome(bytes, range: range, firstLine: firstLine, limits: limits, rootKeys: keys)
    switch (full, selected) {
    case (.error(let a), .error(let b)):
        return a == b ? nil : "errors differ: \(a) / \(b)"
    case (.document(let a), .document(let b)):
        guard a.duplicateKeys == b.duplicateKeys else { return "duplicate keys differ: \(a.duplicateKeys) / \(b.duplicateKeys)" }
        guard let root = a.root, case .mapping(let pairs) = root.kind else {
            return sameTree(a.root, b.root) && !b.omitsRootPairs ? nil : "a root that is not a mapping differs"
        }
        // Built in full (a document whose anchors or aliases reach into a value left out), or
        // without exactly the pairs left out.
        if !b.omitsRootPairs { return sameTree(root, b.root) ? nil : "the trees differ" }
        let kept = pairs.filter { $0.key.string.map(keys.contains) ?? true }
        guard kept.count < pairs.count else { return "omitsRootPairs is set with nothing left out" }
        return sameTree(root.replacingKind(.mapping(kept)), b.root) ? nil : "the trees differ"
    case (.error(let a), .document):
        return "only the full parse fails: \(a)"
    case (.document, .error(let b)):
        return "only the parse with root keys fails: \(b)"
    }
}

@Suite("a parse that builds only some root keys")
struct YAMLRootKeysTests {
    /// The keys a model card's reader asks for.
    static let cardKeys = YAMLKeySet(["license", "license_name", "license_link", "base_model", "base_model_relation", "tags",
                                      "model_name", "model-index", "library_name", "model_link", "quantized_by"])

    static let documents: [String] = [
        // A card, with pairs left out between and after the ones built.
        "license: mit\npipeline_tag: text-generation\nbase_model: a/b\nlanguage:\n- en\n- fr\ndatasets:\n- x/y\n",
        // The last root value left out, of every kind: its end is the root's end.
        "license: mit\nwidget: plain text\n",
        "license: mit\nwidget: |\n  line one\n  line two\n\n\n",
        "license: mit\nwidget: >-\n  folded\n  text\n\n",
        "license: mit\nwidget:\n  - a\n  - b: c\n    d:\n      - e\n",
        "license: mit\nwidget:\n  text: a\n  nested:\n    deeper: [1, 2, {x: y}]\n",
        "license: mit\nwidget: [a, [b, c]]\n",
        "license: mit\nwidget: {a: b, c: [d]}\n",
        "license: mit\nwidget:\n",
        "license: mit\nwidget: !!str 12\n",
        "license: mit\nwidget: !!str |\n  tagged block\n",
        "license: mit\nwidget: !!seq\n- a\n",
        "license: mit\nwidget: []\n",
        "license: mit\nwidget:\n- {}\n",
        "widget: only\n",
        "a: 1\nb: 2\n",
        // Flow roots, quoted and tagged keys, a key of a collection.
        "{license: mit, widget: [a, b], tags: [x]}",
        "{widget: [a, b]}",
        "\"license\": mit\n'widget': x\n!!str tags: [a]\n",
        "? [a, b]\n: c\nwidget: d\nlicense: mit\n",
        "? widget\n: x\nlicense: mit\n",
        // Duplicate keys: of pairs left out, of pairs built, nested in values left out.
        "widget: a\nlicense: mit\nwidget: b\nlicense: apache-2.0\n",
        "widget:\n  a: 1\n  b: 2\n  a: 3\nlicense: mit\n",
        "widget: [{a: 1, a: 2}, {b: 1}]\nlicense: mit\n",
        "widget:\n  ? [x]\n  : 1\n  ? [x]\n  : 2\n  y: 1\n  y: 2\n",
        "widget:\n" + (0..<40).map { "  k\($0 % 25): \($0)\n" }.joined(),
        (0..<40).map { "k\($0 % 25): \($0)\n" }.joined() + "license: mit\n",
        "widget: {\"a\": 1, a: 2}\n",
        // Anchors and aliases, inside and outside the values left out.
        "widget: &w [a, b]\ntags: *w\n",
        "license: &l mit\nwidget: *l\n",
        "widget:\n  x: &n 1\nlicense: *n\n",
        "&k widget: x\nlicense: mit\n",
        "license: &l mit\ntags: [*l]\n",
        "widget: *missing\n",
        "license: *missing\n",
        "widget: &a [*a]\n",
        "widget: &a 1\nother: &a 2\n",
        // Text that is not ASCII, and CRLF, before the pairs built.
        "widget: \"日本語 ✓\"\nlicense: café\n",
        "widget:\r\n  - ünï\r\nlicense: mit\r\n",
        "widget: a\u{85}license: b\n",
        // Roots that are not mappings, empty documents, errors.
        "- license\n- widget\n",
        "just a scalar\n",
        "",
        "# only a comment\n",
        "widget: [a, b\nlicense: mit\n",
        "license: mit\nwidget: \"unterminated\n",
        "widget: x\n---\nlicense: mit\n",
        "license: mit\nwidget:\n\t- tab\n",
    ]

    @Test("the tree is the full one without the pairs left out; spans, duplicates and errors are the same")
    func matchesTheFullParse() {
        let keySets = [Self.cardKeys, YAMLKeySet([]), YAMLKeySet(["widget"]), YAMLKeySet(["license", "a", "k3"])]
        for text in Self.documents {
            for keys in keySets {
                let difference = selectionDifference(Array(text.utf8), keys: keys)
                #expect(difference == nil, "\(text.debugDescription): \(difference ?? "")")
            }
        }
        // Most of them are read in part: the comparison is not only of documents built in full.
        let partial = Self.documents.filter { (try? YAML.parse(Array($0.utf8), rootKeys: Self.cardKeys).omitsRootPairs) == true }
        #expect(partial.count >= 30)
    }

    @Test("anchors or aliases inside a value left out build the document in full; elsewhere they do not")
    func anchorsBuildInFull() throws {
        func omits(_ text: String) throws -> Bool { try YAML.parse(Array(text.utf8), rootKeys: Self.cardKeys).omitsRootPairs }
        #expect(try !omits("widget: &w [a, b]\ntags: *w\n"))
        #expect(try !omits("license: &l mit\nwidget: *l\n"))
        #expect(try !omits("&k widget: x\nlicense: mit\n"))
        #expect(try omits("license: &l mit\ntags: [*l]\nwidget: x\n"))
        #expect(try YAML.parse(Array("license: &l mit\ntags: [*l]\nwidget: x\n".utf8), rootKeys: Self.cardKeys).root?["tags"]?.sequence?[0].string == "mit")
    }

    @Test("the pairs left out are parsed: a key read and one not are both in the document")
    func omitsAndKeeps() throws {
        let doc = try YAML.parse(Array("license: mit\nwidget: [a]\ntags: [x]\n".utf8), rootKeys: Self.cardKeys)
        #expect(doc.omitsRootPairs)
        #expect(doc.root?.mapping?.map { $0.key.string } == ["license", "tags"])
        #expect(doc.root?.span.end == mark(34, 3, 10))
        let all = try YAML.parse(Array("license: mit\ntags: [x]\n".utf8), rootKeys: Self.cardKeys)
        #expect(!all.omitsRootPairs)
    }

    @Test("limits hold inside the values left out")
    func limitsInsideValuesLeftOut() {
        let deep = "license: mit\nwidget: " + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "\n"
        let limits = YAMLLimits(maxDepth: 8, maxEvents: 1_000)
        #expect(selectionDifference(Array(deep.utf8), limits: limits, keys: Self.cardKeys) == nil)
        #expect(parseError(deep, limits: limits)?.message == "collections nest deeper than 8 levels")
        let many = "widget: [" + (0..<600).map(String.init).joined(separator: ", ") + "]\n"
        let fewEvents = YAMLLimits(maxDepth: 8, maxEvents: 500)
        #expect(selectionDifference(Array(many.utf8), limits: fewEvents, keys: Self.cardKeys) == nil)
        #expect(parseError(many, limits: fewEvents)?.message == "the document has more than 500 events")
    }

    @Test("a range inside a larger buffer, with a first line, gives the same marks")
    func rangeAndFirstLine() {
        let text = "---\nwidget:\n  - a\nlicense: mit\n---\nbody\n"
        let bytes = Array(text.utf8)
        #expect(selectionDifference(bytes, range: 4..<31, firstLine: 2, keys: Self.cardKeys) == nil)
    }

    @Test("the model cards of the fixtures read the same with the card's keys as in full")
    func fixtureCards() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        let files = FileManager.default.enumerator(atPath: fixtures.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".md") } ?? []
        var read = 0
        for file in files.sorted() {
            let bytes = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent(file)))
            guard case .found(let fm) = FrontMatter.locate(in: bytes) else { continue }
            read += 1
            let difference = selectionDifference(bytes, range: fm.yaml, firstLine: fm.yamlFirstLine, keys: Self.cardKeys)
            #expect(difference == nil, "\(file): \(difference ?? "")")
        }
        #expect(read >= 80)
    }

    @Test("a key set matches whole keys by their bytes")
    func keySet() {
        let long = String(repeating: "k", count: 70)
        let keys = YAMLKeySet(["license", "base_model", "café", long, ""])
        #expect(keys.contains("license") && keys.contains("base_model") && keys.contains("café"))
        #expect(keys.contains(long) && keys.contains(""))
        #expect(!keys.contains("licens") && !keys.contains("license ") && !keys.contains("License"))
        #expect(!keys.contains("cafe") && !keys.contains(String(repeating: "k", count: 71)))
        #expect(!YAMLKeySet([]).contains("license"))
    }
}
