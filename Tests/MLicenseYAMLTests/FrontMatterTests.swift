import MLicenseYAML
import Testing

/// The pieces of a located front matter as text, to compare with the Hub regex's groups.
struct FencePieces: Equatable, CustomStringConvertible {
    var opening: String
    var yaml: String
    var closing: String

    init(_ opening: String, _ yaml: String, _ closing: String) {
        (self.opening, self.yaml, self.closing) = (opening, yaml, closing)
    }

    init(_ frontMatter: FrontMatter, in bytes: [UInt8]) {
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        self.init(text(frontMatter.openingFence), text(frontMatter.yaml), text(frontMatter.closingFence))
    }

    var description: String { "\(opening.debugDescription) \(yaml.debugDescription) \(closing.debugDescription)" }
}

func locate(_ text: String) -> FrontMatterResult { FrontMatter.locate(in: Array(text.utf8)) }

func pieces(_ text: String) -> FencePieces? {
    let bytes = Array(text.utf8)
    return FrontMatter.locate(in: bytes).frontMatter.map { FencePieces($0, in: bytes) }
}

@Suite struct FrontMatterTableTests {
    // One test per row of FORMATS.md §1.6, as the Hub's regex sees the text after a BOM.

    @Test func plainBlock() throws {
        let fm = try #require(locate("---\nlicense: mit\n---\n# body").frontMatter)
        #expect(fm == FrontMatter(hasBOM: false, openingFence: 0..<4, yaml: 4..<16, closingFence: 16..<21,
                                  yamlFirstLine: 2, lineEnding: .lf))
        #expect(fm.bodyStart == 21)
    }

    @Test func noClosingFence() {
        #expect(locate("---\nlicense: mit\n# body\n") == .absent(.unterminated(openingLine: 1)))
    }

    @Test func byteOrderMarkIsStrippedAndOffsetsKeepIt() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("---\nlicense: mit\n---\n".utf8)
        let fm = try #require(FrontMatter.locate(in: bytes).frontMatter)
        #expect(fm == FrontMatter(hasBOM: true, openingFence: 3..<7, yaml: 7..<19, closingFence: 19..<24,
                                  yamlFirstLine: 2, lineEnding: .lf))
        let doc = try fm.parseDocument(in: bytes)
        #expect(doc.root?["license"]?.span == YAMLSpan(start: mark(16, 2, 10), end: mark(19, 2, 13)))
    }

    @Test func crlfEverywhere() throws {
        let text = "---\r\nlicense: mit\r\ntags:\r\n- a\r\n---\r\n# body\r\n"
        let fm = try #require(locate(text).frontMatter)
        #expect(fm == FrontMatter(hasBOM: false, openingFence: 0..<5, yaml: 5..<29, closingFence: 29..<36,
                                  yamlFirstLine: 2, lineEnding: .crlf))
        let doc = try fm.parseDocument(in: Array(text.utf8))
        #expect(doc.root?["tags"]?.span == YAMLSpan(start: mark(26, 4, 1), end: mark(29, 4, 4)))
    }

    @Test func loneCarriageReturns() {
        #expect(locate("---\rlicense: mit\r---\r# body") == .absent(.loneCarriageReturns))
        #expect(locate("---\rlicense: mit\r") == .absent(.loneCarriageReturns))
        // An LF opening with a closing fence ended by a lone CR.
        #expect(locate("---\nlicense: mit\n---\r# body") == .absent(.loneCarriageReturns))
    }

    @Test func emptyWithoutLine() {
        #expect(locate("---\n---\n") == .absent(.emptyWithoutLine(line: 2)))
        #expect(locate("\n---\n---   \n# body") == .absent(.emptyWithoutLine(line: 3)))
    }

    @Test func oneBlankLineIsAnEmptyBlock() throws {
        let fm = try #require(locate("---\n\n---\n").frontMatter)
        #expect(fm.yaml == 4..<4 && fm.closingFence == 4..<9)
        #expect(try fm.parseDocument(in: Array("---\n\n---\n".utf8)).root == nil)
    }

    @Test func blankLinesAndSpacesBeforeTheOpeningFence() throws {
        let fm = try #require(locate("\n  \n\t---\nlicense: mit\n---\n").frontMatter)
        #expect(fm.openingFence == 0..<9)
        #expect(fm.yaml == 9..<21)
        #expect(fm.yamlFirstLine == 4)
    }

    @Test func textBeforeTheFirstFence() {
        #expect(locate("# Title\n---\nlicense: mit\n---\n") == .absent(.noOpeningFence))
    }

    @Test func closingFenceWithTrailingBlanks() throws {
        #expect(pieces("---\na: 1\n---   \nbody") == FencePieces("---\n", "a: 1", "\n---   \n"))
        #expect(pieces("---\na: 1\n--- \t \r\nbody") == FencePieces("---\n", "a: 1", "\n--- \t \r\n"))
    }

    @Test func closedByDocumentEnd() {
        #expect(locate("---\nlicense: mit\n...\n# body") == .absent(.closedByDocumentEnd(line: 3)))
        #expect(locate("---\nlicense: mit\n... # end\n") == .absent(.closedByDocumentEnd(line: 3)))
    }

    @Test func openingFenceNotAlone() {
        #expect(locate("--- \nlicense: mit\n---\n") == .absent(.openingFenceNotAlone(line: 1)))
        #expect(locate("\n----\nlicense: mit\n----\n") == .absent(.openingFenceNotAlone(line: 2)))
        #expect(locate("---license: mit\n---\n") == .absent(.openingFenceNotAlone(line: 1)))
    }

    @Test func closingFenceWithFourDashes() {
        #expect(locate("---\nlicense: mit\n----\n# body") == .absent(.unterminated(openingLine: 1)))
    }

    @Test func closingFenceAtEndOfFileWithoutNewline() throws {
        let fm = try #require(locate("---\nlicense: mit\n---").frontMatter)
        #expect(fm.closingFence == 16..<20 && fm.bodyStart == 20)
        #expect(pieces("---\na: 1\n---  ") == FencePieces("---\n", "a: 1", "\n---  "))
    }

    @Test func blockThatIsAListOrAScalar() throws {
        let list = "---\n- mit\n- apache-2.0\n---\n"
        let fm = try #require(locate(list).frontMatter)
        #expect(try fm.parseDocument(in: Array(list.utf8)).root?.sequence?.count == 2)
        let scalar = "---\njust text\n---\n"
        #expect(try locate(scalar).frontMatter?.parseDocument(in: Array(scalar.utf8)).root?.string == "just text")
    }

    @Test func duplicateKeyMatchesAndIsReported() throws {
        let text = "---\nlicense: mit\nlicense: apache-2.0\n---\n"
        let doc = try #require(try locate(text).frontMatter?.parseDocument(in: Array(text.utf8)))
        #expect(doc.root?["license"]?.string == "apache-2.0")
        #expect(doc.duplicateKeys.map(\.duplicate.start) == [mark(17, 3, 1)])
    }

    @Test func invalidYAMLStillMatchesAndFailsToParse() throws {
        for text in ["---\nlicense: [mit\n---\n", "---\nlicense:\n\tname: mit\n---\n"] {
            let fm = try #require(locate(text).frontMatter)
            #expect(throws: YAMLError.self) { try fm.parseDocument(in: Array(text.utf8)) }
        }
        let text = "---\nx: 1\nlicense: [mit\n---\n"
        do {
            _ = try locate(text).frontMatter?.parseDocument(in: Array(text.utf8))
            Issue.record("expected a parse error")
        } catch {
            #expect(error.mark == mark(22, 3, 14))
        }
    }

    @Test func yaml11BooleanLicense() throws {
        let text = "---\nlicense: no\n---\n"
        let doc = try #require(try locate(text).frontMatter?.parseDocument(in: Array(text.utf8)))
        #expect(doc.root?["license"]?.scalar?.yaml11Boolean == false)
    }

    @Test func horizontalRulesLaterInTheBody() {
        let text = "---\nlicense: mit\n---\n# Title\n\n---\n\nmore\n---\n"
        #expect(pieces(text) == FencePieces("---\n", "license: mit", "\n---\n"))
    }

    @Test func licenseGivenAsAList() throws {
        let text = "---\nlicense:\n- mit\n- apache-2.0\n---\n"
        let doc = try #require(try locate(text).frontMatter?.parseDocument(in: Array(text.utf8)))
        #expect(doc.root?["license"]?.sequence?.map(\.string) == ["mit", "apache-2.0"])
    }
}

@Suite struct FrontMatterEdgeTests {
    @Test func emptyAndWhitespaceOnly() {
        #expect(FrontMatter.locate(in: []) == .absent(.empty))
        #expect(locate(" \n\t\r\n") == .absent(.empty))
        #expect(locate("\u{A0}\u{3000}\u{2028}\n") == .absent(.empty))
        #expect(FrontMatter.locate(in: [0xEF, 0xBB, 0xBF]) == .absent(.empty))
        #expect(locate("\u{FEFF}") == .absent(.empty))
    }

    @Test func unicodeWhitespaceBeforeTheOpeningFence() throws {
        #expect(pieces("\u{3000}\u{85}---\na: 1\n---\n") == FencePieces("\u{3000}\u{85}---\n", "a: 1", "\n---\n"))
        // U+FEFF and U+200B are not whitespace to Python: a second BOM hides the fence.
        #expect(locate("\u{FEFF}\u{FEFF}---\na: 1\n---\n") == .absent(.noOpeningFence))
        #expect(locate("\u{200B}---\na: 1\n---\n") == .absent(.noOpeningFence))
    }

    @Test func openingFenceAloneAtEndOfFile() {
        #expect(locate("---") == .absent(.unterminated(openingLine: 1)))
        #expect(locate("\n\n---\n") == .absent(.unterminated(openingLine: 3)))
    }

    @Test func openingCRLFFallsBackToCRLikeTheRegex() throws {
        // The regex backtracks from `---\r\n` to `---\r`, so the closing fence can start at the `\n`.
        let fm = try #require(locate("---\r\n---\r\n# body").frontMatter)
        #expect(fm == FrontMatter(hasBOM: false, openingFence: 0..<4, yaml: 4..<4, closingFence: 4..<10,
                                  yamlFirstLine: 2, lineEnding: .crlf))
    }

    @Test func firstClosingFenceWins() {
        #expect(pieces("---\na: 1\n---x\nb: 2\n---\n") == FencePieces("---\n", "a: 1\n---x\nb: 2", "\n---\n"))
        #expect(pieces("---\na: 1\r---\r\n") == FencePieces("---\n", "a: 1", "\r---\r\n"))
        #expect(pieces("---\na: |\n  ---\n---\n") == FencePieces("---\n", "a: |\n  ---", "\n---\n"))
    }

    @Test func mixedLineEndings() throws {
        let fm = try #require(locate("---\na: 1\r\nb: 2\r---\n").frontMatter)
        #expect(fm.lineEnding == .lf)
        #expect(fm.yaml == 4..<14)
        let text = "\r\n\r---\na: 1\n---\n"
        #expect(locate(text).frontMatter?.yamlFirstLine == 4)
    }

    @Test func linesAfterCRLFAndBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("\r\n\r\n---\r\nname: ✓\r\nlicense: mit\r\n---\r\n".utf8)
        let fm = try #require(FrontMatter.locate(in: bytes).frontMatter)
        #expect(fm.yamlFirstLine == 4)
        let license = try #require(try fm.parseDocument(in: bytes).root?["license"])
        #expect(license.span == YAMLSpan(start: mark(32, 5, 10), end: mark(35, 5, 13)))
        #expect(String(decoding: bytes[license.span.byteRange], as: UTF8.self) == "mit")
    }

    @Test func absenceLinesAndMalformedness() {
        #expect(FrontMatterAbsence.closedByDocumentEnd(line: 3).line == 3)
        #expect(FrontMatterAbsence.loneCarriageReturns.line == nil)
        #expect(FrontMatterAbsence.unterminated(openingLine: 1).isMalformed)
        #expect(!FrontMatterAbsence.noOpeningFence.isMalformed)
    }

    @Test func longInputIsLinear() {
        let body = String(repeating: "\n-- \n---x\n", count: 50_000)
        let clock = ContinuousClock()
        var result: FrontMatterResult?
        let elapsed = clock.measure { result = locate("---\na: 1" + body) }
        #expect(result == .absent(.unterminated(openingLine: 1)))
        #expect(elapsed < .seconds(2))
    }
}
