import MLicenseYAML
import Testing

/// A parsed document with the bytes it came from, to read spans back.
struct Parsed {
    let bytes: [UInt8]
    let document: YAMLDocument

    init(_ text: String, limits: YAMLLimits = .default) throws {
        bytes = Array(text.utf8)
        document = try YAML.parse(bytes, limits: limits)
    }

    var root: YAMLNode { document.root! }

    /// The source text a span covers.
    func text(_ span: YAMLSpan) -> String { String(decoding: bytes[span.byteRange], as: UTF8.self) }
    func text(_ node: YAMLNode?) -> String? { node.map { text($0.span) } }
}

func mark(_ offset: Int, _ line: Int, _ column: Int) -> YAMLMark {
    YAMLMark(offset: offset, line: line, column: column)
}

/// The error `YAML.parse` throws for `text`, or nil when it parses.
func parseError(_ text: String, limits: YAMLLimits = .default) -> YAMLError? {
    do {
        _ = try YAML.parse(Array(text.utf8), limits: limits)
        return nil
    } catch {
        return error
    }
}

@Suite struct YAMLSpanTests {
    @Test func nonASCIITextGivesByteOffsetsAndScalarColumns() throws {
        let p = try Parsed("name: Café ✓\nlicense: mit\ntags: [a, b]\n")
        let name = try #require(p.root["name"])
        #expect(name.string == "Café ✓")
        #expect(name.span == YAMLSpan(start: mark(6, 1, 7), end: mark(15, 1, 13)))
        let license = try #require(p.root.pair("license"))
        #expect(license.key.span == YAMLSpan(start: mark(16, 2, 1), end: mark(23, 2, 8)))
        #expect(license.value.span == YAMLSpan(start: mark(25, 2, 10), end: mark(28, 2, 13)))
        #expect(p.text(license.value) == "mit")
        let tags = try #require(p.root["tags"])
        #expect(tags.span == YAMLSpan(start: mark(35, 3, 7), end: mark(41, 3, 13)))
        #expect(tags.isFlow)
        #expect(tags.sequence?.map { p.text($0) } == ["a", "b"])
        #expect(tags.sequence?[1].span.start == mark(39, 3, 11))
        #expect(p.root.span == YAMLSpan(start: mark(0, 1, 1), end: mark(41, 3, 13)))
    }

    @Test func nonASCIIInsideQuotesAndBlockScalars() throws {
        let p = try Parsed("a: \"日本語\"\nb: |\n  ünïcödé\n  ✓\nc: d\n")
        #expect(p.text(p.root["a"]) == "\"日本語\"")
        #expect(p.root["a"]?.span.end == mark(14, 1, 9))
        #expect(p.text(p.root["b"]) == "|\n  ünïcödé\n  ✓")
        #expect(p.root["b"]?.span.end == mark(39, 4, 4))
        #expect(p.root["c"]?.span.start == mark(43, 5, 4))
    }

    @Test func quotedScalarsIncludeTheirQuotes() throws {
        let p = try Parsed("a: 'it''s'\nb: \"x\\\"y\"  # note\nc: plain words here   \n")
        let a = try #require(p.root["a"]?.scalar)
        #expect(a == YAMLScalar(text: "it's", style: .singleQuoted))
        #expect(p.text(p.root["a"]) == "'it''s'")
        #expect(p.root["b"]?.scalar == YAMLScalar(text: "x\"y", style: .doubleQuoted))
        #expect(p.text(p.root["b"]) == "\"x\\\"y\"")
        #expect(p.root["b"]?.span == YAMLSpan(start: mark(14, 2, 4), end: mark(20, 2, 10)))
        #expect(p.text(p.root["c"]) == "plain words here")
    }

    @Test func multiLineScalars() throws {
        let p = try Parsed("a: first\n  second\nb: 'one\n  two'\n")
        #expect(p.root["a"]?.string == "first second")
        #expect(p.text(p.root["a"]) == "first\n  second")
        #expect(p.root["a"]?.span.end == mark(17, 2, 9))
        #expect(p.text(p.root["b"]) == "'one\n  two'")
    }

    @Test func blockScalarsEndAtTheirLastNonBlankLine() throws {
        let p = try Parsed("key: |\n  line one\n  line two\n\nfold: >-\n  a\n  b\nkeep: |+\n  kept\n\n\nlast: end")
        let key = try #require(p.root["key"])
        #expect(key.scalar == YAMLScalar(text: "line one\nline two\n", style: .literal))
        #expect(p.text(key) == "|\n  line one\n  line two")
        #expect(key.span == YAMLSpan(start: mark(5, 1, 6), end: mark(28, 3, 11)))
        #expect(p.root["fold"]?.scalar == YAMLScalar(text: "a b", style: .folded))
        #expect(p.text(p.root["fold"]) == ">-\n  a\n  b")
        #expect(p.root["keep"]?.string == "kept\n\n\n")
        #expect(p.text(p.root["keep"]) == "|+\n  kept")
        #expect(p.root["last"]?.span.start == mark(71, 12, 7))
    }

    @Test func blockScalarAtEndOfInputWithoutNewline() throws {
        let p = try Parsed("a: 1\nb: >\n  text")
        #expect(p.text(p.root["b"]) == ">\n  text")
        #expect(p.root["b"]?.span.end == mark(16, 3, 7))
        #expect(p.root.span.end == mark(16, 3, 7))
    }

    @Test func blockSequencesAndNestedMappings() throws {
        let p = try Parsed("tags:\n- a\n- b\nmodel:\n  base: x\n  list:\n    - p\n    - q\n\n# trailing\nlast: z\n")
        let tags = try #require(p.root["tags"])
        #expect(!tags.isFlow)
        #expect(p.text(tags) == "- a\n- b")
        #expect(tags.span.start == mark(6, 2, 1))
        let model = try #require(p.root["model"])
        #expect(p.text(model) == "base: x\n  list:\n    - p\n    - q")
        #expect(model.span.start == mark(23, 5, 3))
        #expect(p.text(model["list"]) == "- p\n    - q")
        #expect(model["list"]?.sequence?[1].span == YAMLSpan(start: mark(53, 8, 7), end: mark(54, 8, 8)))
        #expect(p.root["last"]?.span.start.line == 11)
    }

    @Test func flowCollections() throws {
        let p = try Parsed("tags: [a, 'b c', {k: v}, []]\nm: {x: 1, y: [2]}\n")
        let items = try #require(p.root["tags"]?.sequence)
        #expect(items.map { p.text($0) } == ["a", "'b c'", "{k: v}", "[]"])
        #expect(items[2].isFlow && items[2]["k"]?.string == "v")
        #expect(items[3].span == YAMLSpan(start: mark(25, 1, 26), end: mark(27, 1, 28)))
        #expect(p.text(p.root["m"]) == "{x: 1, y: [2]}")
        #expect(p.text(p.root["m"]?["y"]) == "[2]")
    }

    @Test func emptyValuesSitJustAfterTheirIndicator() throws {
        let p = try Parsed("license:\nlist:\n-\n- x\n")
        let license = try #require(p.root["license"])
        #expect(license.scalar?.isNull == true)
        #expect(license.span == YAMLSpan(start: mark(8, 1, 9), end: mark(8, 1, 9)))
        #expect(p.root["list"]?.sequence?[0].span.start == mark(16, 3, 2))
    }

    @Test func crlfInput() throws {
        let p = try Parsed("a: 1\r\nb: |\r\n  x\r\n  y\r\n\r\nc: 'q'\r\nd:\r\n  - e\r\n")
        #expect(p.root["a"]?.span == YAMLSpan(start: mark(3, 1, 4), end: mark(4, 1, 5)))
        #expect(p.root["b"]?.string == "x\ny\n")
        #expect(p.text(p.root["b"]) == "|\r\n  x\r\n  y")
        #expect(p.root["b"]?.span.end == mark(20, 4, 4))
        #expect(p.root["c"]?.span == YAMLSpan(start: mark(27, 6, 4), end: mark(30, 6, 7)))
        #expect(p.text(p.root["d"]) == "- e")
        #expect(p.root["d"]?.span.start == mark(38, 8, 3))
    }

    @Test func byteOrderMarkBeforeTheRange() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("---\nname: ✓\nlicense: mit\n---\nbody".utf8)
        let doc = try YAML.parse(bytes, range: 7..<30, firstLine: 2)
        let root = try #require(doc.root)
        #expect(root["name"]?.span == YAMLSpan(start: mark(13, 2, 7), end: mark(16, 2, 8)))
        #expect(root["license"]?.span == YAMLSpan(start: mark(26, 3, 10), end: mark(29, 3, 13)))
        #expect(String(decoding: bytes[root["license"]!.span.byteRange], as: UTF8.self) == "mit")
    }

    @Test func byteOrderMarkAtTheStartOfTheRangeTakesNoColumn() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: b".utf8)
        let root = try #require(try YAML.parse(bytes).root)
        #expect(root.pair("a")?.key.span.start == mark(3, 1, 1))
        #expect(root["a"]?.span == YAMLSpan(start: mark(6, 1, 4), end: mark(7, 1, 5)))
    }

    @Test func aNodeEndingWhereTheTextEndsGetsTheCountedEndMark() throws {
        // Front matter stops before the closing fence's line break, so its last scalar ends where
        // the range ends: that mark is counted from the start (CRLF, non-ASCII, tabs and NEL
        // included), not taken from libyaml's end of stream.
        let p = try Parsed("a: \"é\u{85}x\"\r\nb:\tlast")
        #expect(p.root["b"]?.span == YAMLSpan(start: mark(15, 3, 4), end: mark(19, 3, 8)))
        #expect(p.root.span.end == mark(19, 3, 8))
        let ascii = try Parsed("a: 1\nb: [x, y]")
        #expect(ascii.root["b"]?.span == YAMLSpan(start: mark(8, 2, 4), end: mark(14, 2, 10)))
        #expect(ascii.root["b"]?.sequence?[1].span.end == mark(13, 2, 9))
    }

    @Test func unicodeLineBreaksCountAsLibYAMLCountsThem() throws {
        // libyaml (YAML 1.1) takes NEL, LS and PS for line breaks; marks follow it.
        let p = try Parsed("a: \"x\u{2028}y\"\nb: c\n")
        #expect(p.root["b"]?.span.start == mark(14, 3, 4))
    }
}

@Suite struct YAMLContentTests {
    @Test func duplicateKeysAreReportedAndTheLastWins() throws {
        let p = try Parsed("license: mit\nlicense: apache-2.0\nnested:\n  license: a\nlicense: gpl-3.0\n")
        #expect(p.root["license"]?.string == "gpl-3.0")
        #expect(p.root.mapping?.count == 4)
        let first = YAMLSpan(start: mark(0, 1, 1), end: mark(7, 1, 8))
        #expect(p.document.duplicateKeys == [
            YAMLDuplicateKey(key: "license", first: first, duplicate: YAMLSpan(start: mark(13, 2, 1), end: mark(20, 2, 8))),
            YAMLDuplicateKey(key: "license", first: first, duplicate: YAMLSpan(start: mark(54, 5, 1), end: mark(61, 5, 8))),
        ])
    }

    @Test func duplicateKeysInNestedAndFlowMappings() throws {
        let p = try Parsed("a:\n  x: 1\n  x: 2\nb: {y: 1, y: 2}\n")
        #expect(p.document.duplicateKeys.map(\.key) == ["x", "y"])
        #expect(p.document.duplicateKeys.map(\.duplicate.start.line) == [3, 4])
        #expect(p.root["b"]?["y"]?.string == "2")
    }

    @Test func yaml11BooleansKeepTheirText() throws {
        let p = try Parsed("license: no\nflag: yes\nquoted: 'no'\nup: On\n")
        #expect(p.root["license"]?.scalar == YAMLScalar(text: "no"))
        #expect(p.root["license"]?.scalar?.yaml11Boolean == false)
        #expect(p.root["flag"]?.scalar?.yaml11Boolean == true)
        #expect(p.root["quoted"]?.scalar?.yaml11Boolean == nil)
        #expect(p.root["up"]?.kindDescription == "a boolean")
    }

    @Test func tagsAndAnchorsAreKeptAndSpansStartAfterThem() throws {
        let p = try Parsed("a: !!str no\nb: &x val\nc: !custom &y\n  k: v\nd: &z [1]\ne: !!str\nf: 1\n")
        let a = try #require(p.root["a"])
        #expect(a.scalar == YAMLScalar(text: "no", tag: "!!str"))
        #expect(a.scalar?.yaml11Boolean == nil)
        #expect(a.span == YAMLSpan(start: mark(9, 1, 10), end: mark(11, 1, 12)))
        #expect(p.root["b"]?.anchor == "x")
        #expect(p.text(p.root["b"]) == "val")
        #expect(p.root["c"]?.anchor == "y")
        #expect(p.text(p.root["c"]) == "k: v")
        #expect(p.root["c"]?.span.start == mark(38, 4, 3))
        #expect(p.text(p.root["d"]) == "[1]")
        let e = try #require(p.root["e"])
        #expect(e.scalar == YAMLScalar(text: "", tag: "!!str"))
        #expect(e.span == YAMLSpan(start: mark(61, 6, 9), end: mark(61, 6, 9)))
    }

    @Test func aliasesResolveToTheAnchoredNodeWithTheirOwnSpan() throws {
        let p = try Parsed("base: &b {license: mit}\ncopy: *b\nkey: &k name\n*k : value\n")
        let copy = try #require(p.root["copy"])
        #expect(copy.isAlias)
        #expect(copy.anchor == "b")
        #expect(copy["license"]?.string == "mit")
        #expect(copy.span == YAMLSpan(start: mark(30, 2, 7), end: mark(32, 2, 9)))
        #expect(p.root["base"]?.isAlias == false)
        #expect(p.root["name"]?.string == "value")
        #expect(p.text(p.root.pair("name")?.key) == "*k")
    }

    @Test func anAliasIsANewNodeAndLeavesItsAnchorAsItWas() throws {
        let p = try Parsed("base: &b [x]\ncopy: *b\n")
        let base = try #require(p.root["base"])
        let copy = try #require(p.root["copy"])
        #expect(!base.isAlias && copy.isAlias)
        #expect(base.span == YAMLSpan(start: mark(9, 1, 10), end: mark(12, 1, 13)))
        #expect(copy.span == YAMLSpan(start: mark(19, 2, 7), end: mark(21, 2, 9)))
        #expect(base.isFlow && copy.isFlow)
        #expect(copy.sequence?.first?.string == "x")
    }

    @Test func replacingKindMakesANewNodeAndKeepsTheOthers() throws {
        let p = try Parsed("a: 1\nb: 2\n")
        let root = p.root
        let copy = root
        let smaller = root.replacingKind(.mapping(Array(root.mapping!.dropFirst())))
        #expect(smaller.mapping?.count == 1)
        #expect(smaller["a"] == nil && smaller["b"]?.string == "2")
        #expect(smaller.span == root.span && smaller.isFlow == root.isFlow && smaller.anchor == root.anchor)
        // The node it came from, and every copy of it, still hold both pairs.
        #expect(root.mapping?.count == 2 && copy.mapping?.count == 2)
        #expect(root["a"]?.string == "1" && copy["a"]?.string == "1")
    }

    @Test func pairFindsTheLastScalarKeyAndSkipsOtherKeys() throws {
        let p = try Parsed("[k]: list\nk: first\nkk: longer\n? {k: v}\n: map\nk: last\n\"k\": quoted\n")
        #expect(p.root.pair("k")?.value.string == "quoted")
        #expect(p.text(p.root.pair("k")?.key) == "\"k\"")
        #expect(p.root["kk"]?.string == "longer")
        #expect(p.root["kkk"] == nil)
        #expect(p.root["k"]?["k"] == nil)
        #expect(p.document.duplicateKeys.map(\.key) == ["k", "k"])
    }

    @Test func undefinedAndRecursiveAliasesAreErrors() {
        let undefined = parseError("a: 1\nb: *nope\n")
        #expect(undefined == YAMLError(message: "found undefined alias \"nope\"", mark: mark(8, 2, 4)))
        let recursive = parseError("a: &x [1, *x]\n")
        #expect(recursive?.message == "found recursive alias \"x\"")
        #expect(recursive?.mark == mark(10, 1, 11))
    }

    @Test func anchorsCannotBeRedefinedAsInPyYAML() {
        #expect(parseError("- &a one\n- *a\n- &a two\n") == YAMLError(message: "found duplicate anchor \"a\"", mark: mark(16, 3, 3)))
        #expect(parseError("&a {k: &a v}\n")?.message == "found duplicate anchor \"a\"")
    }

    @Test func billionLaughsParsesQuicklyBySharingNodes() throws {
        var text = "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        let clock = ContinuousClock()
        var parsed: Parsed?
        let elapsed = try clock.measure { parsed = try Parsed(text) }
        #expect(elapsed < .seconds(1))
        var node = try #require(parsed?.root["i"])
        for _ in names.dropLast() {
            #expect(node.sequence?.count == 10)
            node = try #require(node.sequence?.last)
            #expect(node.isAlias)
        }
        #expect(node.sequence?.first?.string == "lol")
    }

    @Test func emptyStreamsHaveNoRoot() throws {
        #expect(try YAML.parse([]).root == nil)
        #expect(try Parsed("# only a comment\n\n").document.root == nil)
        #expect(try YAML.parse(Array("a: b".utf8), range: 2..<2).root == nil)
        let explicit = try Parsed("---\n")
        #expect(explicit.root.scalar?.isNull == true)
    }

    @Test func moreThanOneDocumentIsAnError() {
        let error = parseError("a: 1\n---\nb: 2\n")
        #expect(error == YAMLError(message: "but found another document",
                                   context: "expected a single document in the stream", mark: mark(5, 2, 1)))
        #expect(error?.description == "expected a single document in the stream: but found another document at line 2, column 1")
        #expect(parseError("a: 1\n...\n") == nil)
    }

    @Test func libyamlErrorsCarryProblemContextAndMark() {
        let unclosed = parseError("x: 1\nlicense: [mit\n")
        #expect(unclosed?.context == "while parsing a flow sequence")
        #expect(unclosed?.message == "did not find expected ',' or ']'")
        #expect(unclosed?.mark.line == 3)
        let tab = parseError("a:\n\tb: 1\n")
        #expect(tab == YAMLError(message: "found character that cannot start any token",
                                 context: "while scanning for the next token", mark: mark(3, 2, 1)))
        let indentation = parseError("a: 1\n b: 2\n")
        #expect(indentation?.message == "mapping values are not allowed in this context")
        #expect(indentation?.mark == mark(7, 2, 3))
    }

    @Test func libyamlErrorMarksAfterNonASCIIText() {
        let error = parseError("é: ✓✓\nx: [\n")
        #expect(error?.mark.line == 3)
        #expect(error?.mark.offset == 16)
    }

    @Test func readerErrorsPointAtTheOffendingByte() {
        func error(_ bytes: [UInt8]) -> YAMLError? {
            do { _ = try YAML.parse(bytes); return nil } catch { return error }
        }
        let invalid = error(Array("a: é\nb: ".utf8) + [0xFF, 0x0A])
        #expect(invalid == YAMLError(message: "invalid leading UTF-8 octet (#xff)", mark: mark(9, 2, 4)))
        let nul = error(Array("a: ✓b".utf8) + [0x00])
        #expect(nul == YAMLError(message: "control characters are not allowed (#x0)", mark: mark(7, 1, 6)))
        let truncated = error(Array("a: b".utf8) + [0xE2, 0x9C])
        #expect(truncated?.message == "incomplete UTF-8 octet sequence")
        #expect(truncated?.mark == mark(4, 1, 5))
    }
}

@Suite struct YAMLLimitTests {
    @Test func deepNestingStopsAtTheDepthLimit() {
        let clock = ContinuousClock()
        var error: YAMLError?
        let elapsed = clock.measure { error = parseError(String(repeating: "[", count: 100_000)) }
        #expect(elapsed < .seconds(2))
        #expect(error == YAMLError(message: "collections nest deeper than 256 levels", mark: mark(256, 1, 257)))
        #expect(parseError(String(repeating: "[", count: 256) + String(repeating: "]", count: 256)) == nil)
    }

    @Test func depthLimitCountsBlockAndFlowCollections() {
        let limits = YAMLLimits(maxDepth: 3)
        #expect(parseError("a:\n  b: [1]\n", limits: limits) == nil)
        let error = parseError("a:\n  b: [{c: 1}]\n", limits: limits)
        #expect(error?.message == "collections nest deeper than 3 levels")
        #expect(error?.mark == mark(9, 2, 7))
    }

    @Test func eventLimit() {
        let list = "[" + Array(repeating: "x", count: 20).joined(separator: ", ") + "]"
        #expect(parseError(list, limits: YAMLLimits(maxEvents: 26)) == nil)
        let error = parseError(list, limits: YAMLLimits(maxEvents: 25))
        #expect(error?.message == "the document has more than 25 events")
    }
}
