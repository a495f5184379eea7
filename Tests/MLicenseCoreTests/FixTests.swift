import Foundation
import MLicenseCore
import Testing

private let bom = "\u{FEFF}"
private let qwenLink = "https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/LICENSE"

/// The card's text after `actions`, all applied (none skipped).
private func fixed(_ text: String, _ actions: [FixAction]) -> String {
    let card = ModelCard(path: "README.md", bytes: Array(text.utf8))
    let result = CardEditor.edit(card, applying: actions)
    #expect(result.outcomes.allSatisfy { if case .skipped = $0 { false } else { true } }, "\(result.outcomes)")
    return String(decoding: result.after, as: UTF8.self)
}

private func card(_ text: String) -> ModelCard { ModelCard(path: "README.md", bytes: Array(text.utf8)) }

/// A golden pair: the card before, the actions, the exact card after and the metadata it must hold.
struct Golden: Sendable, CustomTestStringConvertible {
    var name: String
    var before: String
    var actions: [FixAction]
    var after: String
    /// Fields the fixed card must hold (a list as its items joined with ",").
    var expect: [String: String]
    var testDescription: String { name }

    init(_ name: String, _ before: String, _ actions: [FixAction], _ after: String, _ expect: [String: String]) {
        self.name = name
        self.before = before
        self.actions = actions
        self.after = after
        self.expect = expect
    }
}

private let setMIT = FixAction.setLicense(id: "mit", otherName: nil, link: nil)
private let setApache = FixAction.setLicense(id: "apache-2.0", otherName: nil, link: nil)
private let setQwen = FixAction.setLicense(id: "other", otherName: "qwen", link: qwenLink)

let goldens: [Golden] = [
    // setLicense: the value's bytes only, quoting kept.
    Golden("plain value with a comment", "---\nlicense: mit # old\ntags: [x]\n---\n# body\n", [setApache],
           "---\nlicense: apache-2.0 # old\ntags: [x]\n---\n# body\n", ["license": "apache-2.0", "tags": "x"]),
    Golden("crlf and bom", bom + "---\r\nlicense: mit # old\r\ntags: [x]\r\n---\r\n# body\r\n", [setApache],
           bom + "---\r\nlicense: apache-2.0 # old\r\ntags: [x]\r\n---\r\n# body\r\n", ["license": "apache-2.0"]),
    Golden("single-quoted", "---\nlicense: 'mit'\n---\n", [setApache], "---\nlicense: 'apache-2.0'\n---\n", ["license": "apache-2.0"]),
    Golden("double-quoted", "---\nlicense: \"mit\"  # x\n---\n", [setApache], "---\nlicense: \"apache-2.0\"  # x\n---\n",
           ["license": "apache-2.0"]),
    Golden("plain value that needs quotes", "---\nlicense: mit\n---\n", [.setLicense(id: "yes", otherName: nil, link: nil)],
           "---\nlicense: 'yes'\n---\n", ["license": "yes"]),
    Golden("empty value", "---\nlicense:   # fill in\nbase_model: x\n---\n", [setMIT],
           "---\nlicense: mit   # fill in\nbase_model: x\n---\n", ["license": "mit"]),
    Golden("value as a block list", "---\nlicense:\n- mit\n- apache-2.0\ntags: [x]\n---\n", [setMIT],
           "---\nlicense: mit\ntags: [x]\n---\n", ["license": "mit", "tags": "x"]),
    Golden("value as a crlf block list", "---\r\nlicense:\r\n  - mit\r\n  - apache-2.0\r\npipeline_tag: text-generation\r\n---\r\n",
           [setMIT], "---\r\nlicense: mit\r\npipeline_tag: text-generation\r\n---\r\n", ["license": "mit"]),
    Golden("value as a flow list", "---\nlicense: [mit, apache-2.0] # two\n---\n", [setMIT], "---\nlicense: mit # two\n---\n",
           ["license": "mit"]),
    Golden("value as a mapping", "---\nlicense:\n  id: mit\nx: 1\n---\n", [setMIT], "---\nlicense: mit\nx: 1\n---\n", ["license": "mit"]),
    Golden("block scalar value", "---\nlicense: |\n  mit\ntags: [x]\n---\n", [setApache], "---\nlicense: apache-2.0\ntags: [x]\n---\n",
           ["license": "apache-2.0"]),
    Golden("tagged value", "---\nlicense: !!str mit\n---\n", [setApache], "---\nlicense: !!str apache-2.0\n---\n", ["license": "apache-2.0"]),
    Golden("duplicate key: the last one is set", "---\nlicense: gpl\nlicense: mit\n---\n", [setApache],
           "---\nlicense: gpl\nlicense: apache-2.0\n---\n", ["license": "apache-2.0"]),
    // setLicense: the key added.
    Golden("added after leading comments", "---\n# metadata\n# more\ntags:\n  - a\nbase_model: x\n---\n", [setMIT],
           "---\n# metadata\n# more\nlicense: mit\ntags:\n  - a\nbase_model: x\n---\n", ["license": "mit", "base_model": "x"]),
    Golden("added with indented keys", "---\n  tags: [a]\n  base_model: x\n---\n", [setMIT],
           "---\n  license: mit\n  tags: [a]\n  base_model: x\n---\n", ["license": "mit"]),
    Golden("added with crlf", "---\r\nbase_model: x\r\n---\r\n", [setMIT], "---\r\nlicense: mit\r\nbase_model: x\r\n---\r\n",
           ["license": "mit"]),
    Golden("added to an empty front matter", "---\n\n---\n# body\n", [setMIT], "---\nlicense: mit\n---\n# body\n", ["license": "mit"]),
    Golden("added to an empty crlf front matter", "---\r\n\r\n---\r\n", [setMIT], "---\r\nlicense: mit\r\n---\r\n", ["license": "mit"]),
    Golden("added to a comment-only front matter", "---\n# nothing yet\n---\n", [setMIT], "---\n# nothing yet\nlicense: mit\n---\n",
           ["license": "mit"]),
    Golden("no front matter", "# Title\n\ntext\n", [setMIT], "---\nlicense: mit\n---\n# Title\n\ntext\n", ["license": "mit"]),
    Golden("no front matter, crlf and bom", bom + "# Title\r\n", [setMIT], bom + "---\r\nlicense: mit\r\n---\r\n# Title\r\n",
           ["license": "mit"]),
    Golden("empty file", "", [setMIT], "---\nlicense: mit\n---\n", ["license": "mit"]),
    // setLicense to other.
    Golden("other with name and link", "---\nlicense: mit\ntags: [x]\n---\n", [setQwen],
           "---\nlicense: other\nlicense_name: qwen\nlicense_link: \(qwenLink)\ntags: [x]\n---\n",
           ["license": "other", "license_name": "qwen", "license_link": qwenLink]),
    Golden("other keeps an existing link", "---\nlicense: \"mit\"\nlicense_name: 'old'\nlicense_link: LICENSE\n---\n", [setQwen],
           "---\nlicense: \"other\"\nlicense_name: 'qwen'\nlicense_link: LICENSE\n---\n",
           ["license": "other", "license_name": "qwen", "license_link": "LICENSE"]),
    Golden("other added with crlf", "---\r\ntags: [x]\r\n---\r\n", [setQwen],
           "---\r\nlicense: other\r\nlicense_name: qwen\r\nlicense_link: \(qwenLink)\r\ntags: [x]\r\n---\r\n",
           ["license": "other", "license_name": "qwen"]),
    Golden("other, license last in the front matter", "---\nbase_model: x\nlicense: mit\n---", [setQwen],
           "---\nbase_model: x\nlicense: other\nlicense_name: qwen\nlicense_link: \(qwenLink)\n---",
           ["license": "other", "license_name": "qwen", "license_link": qwenLink]),
    Golden("leaving other keeps license_name", "---\nlicense: other\nlicense_name: qwen\n---\n", [setApache],
           "---\nlicense: apache-2.0\nlicense_name: qwen\n---\n", ["license": "apache-2.0", "license_name": "qwen"]),
    // completeOther.
    Golden("complete other", "---\nlicense: other # custom\nbase_model: x\n---\n", [.completeOther(name: "qwen", link: qwenLink)],
           "---\nlicense: other # custom\nlicense_name: qwen\nlicense_link: \(qwenLink)\nbase_model: x\n---\n",
           ["license_name": "qwen", "license_link": qwenLink, "base_model": "x"]),
    Golden("complete other, name present", "---\r\nlicense: other\r\nlicense_name: acme\r\n---\r\n",
           [.completeOther(name: nil, link: "LICENSE")],
           "---\r\nlicense: other\r\nlicense_link: LICENSE\r\nlicense_name: acme\r\n---\r\n", ["license_name": "acme", "license_link": "LICENSE"]),
    Golden("complete other, empty name", "---\nlicense: other\nlicense_name:\n---\n", [.completeOther(name: "qwen", link: nil)],
           "---\nlicense: other\nlicense_name: qwen\n---\n", ["license_name": "qwen"]),
    // addBaseModels.
    Golden("one base", "---\nlicense: mit # keep\n---\n", [.addBaseModels(["meta-llama/Llama-3.1-8B"])],
           "---\nlicense: mit # keep\nbase_model: meta-llama/Llama-3.1-8B\n---\n", ["base_model": "meta-llama/Llama-3.1-8B"]),
    Golden("bases as block lists indented like tags", "---\ntags:\n  - merge\nlicense: mit\n---\n", [.addBaseModels(["a/b", "c/d"])],
           "---\ntags:\n  - merge\nlicense: mit\nbase_model:\n  - a/b\n  - c/d\n---\n", ["base_model": "a/b,c/d"]),
    Golden("bases as indentless block lists", "---\nlicense: mit\n---\n", [.addBaseModels(["a/b", "c/d"])],
           "---\nlicense: mit\nbase_model:\n- a/b\n- c/d\n---\n", ["base_model": "a/b,c/d"]),
    Golden("bases as flow lists like tags", "---\r\nlicense: mit\r\ntags: [x]\r\n---\r\n", [.addBaseModels(["a/b", "c/d"])],
           "---\r\nlicense: mit\r\ntags: [x]\r\nbase_model: [a/b, c/d]\r\n---\r\n", ["base_model": "a/b,c/d", "tags": "x"]),
    Golden("base into an empty value", "---\nbase_model: # todo\nlicense: mit\n---\n", [.addBaseModels(["a/b", "c/d"])],
           "---\nbase_model: # todo\n- a/b\n- c/d\nlicense: mit\n---\n", ["base_model": "a/b,c/d"]),
    Golden("base into an empty flow list", "---\nbase_model: []\n---\n", [.addBaseModels(["a/b"])],
           "---\nbase_model: a/b\n---\n", ["base_model": "a/b"]),
    Golden("base that needs quotes", "---\nlicense: mit\n---\n", [.addBaseModels(["1.5"])],
           "---\nlicense: mit\nbase_model: '1.5'\n---\n", ["base_model": "1.5"]),
    Golden("bases, no front matter", "# Merge\n", [.addBaseModels(["a/b", "c/d"])],
           "---\nbase_model:\n- a/b\n- c/d\n---\n# Merge\n", ["base_model": "a/b,c/d"]),
    // setRelation.
    Golden("relation replaced", "---\nbase_model: [a, b]\nbase_model_relation: 'finetune' # guessed\n---\n", [.setRelation(.merge)],
           "---\nbase_model: [a, b]\nbase_model_relation: 'merge' # guessed\n---\n", ["base_model_relation": "merge"]),
    Golden("relation after base_model", "---\nbase_model:\n- a\nlicense: mit\n---\n", [.setRelation(.quantized)],
           "---\nbase_model:\n- a\nbase_model_relation: quantized\nlicense: mit\n---\n", ["base_model_relation": "quantized"]),
    Golden("relation without base_model", "---\r\nlicense: mit\r\n---", [.setRelation(.adapter)],
           "---\r\nlicense: mit\r\nbase_model_relation: adapter\r\n---", ["base_model_relation": "adapter"]),
    // appendToBody.
    Golden("append, no final line break", "---\nlicense: llama3.1\n---\n# chat\n\nsome text", [.appendToBody("Built with Llama")],
           "---\nlicense: llama3.1\n---\n# chat\n\nsome text\n\nBuilt with Llama\n", ["license": "llama3.1"]),
    Golden("append after a blank line, crlf", "---\r\nlicense: llama3.1\r\n---\r\n# chat\r\n\r\n", [.appendToBody("Built with Llama")],
           "---\r\nlicense: llama3.1\r\n---\r\n# chat\r\n\r\nBuilt with Llama\r\n", ["license": "llama3.1"]),
    // Several actions on one card, all on the original bytes.
    Golden("license and bases together", "---\n\n---\n", [setMIT, .addBaseModels(["a/b"])],
           "---\nlicense: mit\nbase_model: a/b\n---\n", ["license": "mit", "base_model": "a/b"]),
    Golden("license, bases and a line, no front matter", bom + "# T\r\n", [setMIT, .addBaseModels(["a/b"]), .appendToBody("L")],
           bom + "---\r\nlicense: mit\r\nbase_model: a/b\r\n---\r\n# T\r\n\r\nL\r\n", ["license": "mit", "base_model": "a/b"]),
    Golden("unusual order, everything", "---\ntags: [x]\nbase_model_relation: finetune\nlicense: 'mit' # was\n---\n",
           [setQwen, .addBaseModels(["a", "b"]), .setRelation(.merge)],
           "---\ntags: [x]\nbase_model_relation: merge\nlicense: 'other' # was\nlicense_name: qwen\nlicense_link: \(qwenLink)\nbase_model: [a, b]\n---\n",
           ["license": "other", "license_name": "qwen", "base_model": "a,b", "base_model_relation": "merge"]),
]

/// The intended value of a field, read back from a card: a string, or a list's items joined by ",".
private func value(_ card: ModelCard, _ key: String) -> String? {
    guard let f = card.field(key) else { return nil }
    if let items = f.value.sequence { return items.compactMap { $0.scalar?.text }.joined(separator: ",") }
    return f.string
}

@Suite struct CardEditorTests {
    @Test(arguments: goldens) func golden(_ g: Golden) {
        let after = fixed(g.before, g.actions)
        #expect(after == g.after)
        let reread = card(after)
        #expect(reread.hasValidMetadata && reread.duplicateKeys.count == card(g.before).duplicateKeys.count)
        for (key, v) in g.expect { #expect(value(reread, key) == v, "\(key)") }
        // Applying the same actions again changes nothing.
        #expect(fixed(after, g.actions) == after)
    }

    @Test func editsAreExactByteRanges() throws {
        let c = card("---\nlicense: mit # old\n---\n")
        let edits = try CardEditor.edits(for: setApache, in: c)
        #expect(edits == [TextEdit(range: 13..<16, replacement: Array("apache-2.0".utf8))])
    }

    @Test func duplicatesAreAppliedOnceAndClashesSkipped() {
        let c = card("---\ntags: [x]\n---\n")
        let result = CardEditor.edit(c, applying: [setMIT, setMIT, setApache, .addBaseModels(["a"])])
        #expect(result.outcomes == [.applied, .duplicate, .skipped("`license` is already changed by another fix"), .applied])
        #expect(String(decoding: result.after, as: UTF8.self) == "---\nlicense: mit\ntags: [x]\nbase_model: a\n---\n")
    }

    @Test func refusesCardsItCannotEditSafely() {
        for text in ["---\nlicense: [mit\n---\n", "---\n- a\n---\n", "---\nlicense: mit\n", "--- \nlicense: mit\n---\n",
                     "---\n{license: mit}\n---\n"] {
            let result = CardEditor.edit(card(text), applying: [setApache])
            #expect(result.after == Array(text.utf8), "\(text)")
            guard case .skipped = result.outcomes[0] else { Issue.record("\(text) was edited"); continue }
        }
        let big = ModelCard(path: "README.md", bytes: Array("---\nlicense: mit\n---\n".utf8), isTruncated: true)
        #expect(throws: FixError.self) { try CardEditor.edits(for: setApache, in: big) }
        #expect(throws: FixError.self) { try CardEditor.edits(for: .addBaseModels(["x"]), in: card("---\nbase_model: y\n---\n")) }
    }

    @Test func plainScalarsAreQuotedOnlyWhenNeeded() {
        for s in ["mit", "apache-2.0", "llama3.1", "cc-by-nc-4.0", "01-ai/Yi-34B", qwenLink, "LICENSE", "openrail++"] {
            #expect(CardEditor.render(s) == s)
        }
        for (s, q) in [("yes", "'yes'"), ("No", "'No'"), ("null", "'null'"), ("", "''"), ("1.0", "'1.0'"), ("2024-01-01", "'2024-01-01'"),
                       ("1e3", "'1e3'"), (".inf", "'.inf'"), ("a: b", "'a: b'"), ("a #b", "'a #b'"), ("-x", "'-x'"), ("'q", "'''q'"),
                       ("[x]", "'[x]'"), ("a,b", "'a,b'"), ("*x", "'*x'"), (" x", "' x'")] {
            #expect(CardEditor.render(s) == q)
            let text = "---\nk: \(q)\n---\n"
            #expect(card(text).string("k")?.value == s, "\(q)")
        }
        #expect(CardEditor.render("a\"b\\", style: .doubleQuoted) == "\"a\\\"b\\\\\"")
        #expect(CardEditor.render("it's") == "it's")
        #expect(CardEditor.render("it's", style: .singleQuoted) == "'it''s'")
        #expect(CardEditor.render("a\nb", style: .singleQuoted) == "\"a\\nb\"")
    }

    @Test func textEditsApplyBackToFront() {
        let bytes = Array("abcdef".utf8)
        let edits = [TextEdit.insert("1", at: 2), TextEdit(range: 2..<4, replacement: Array("X".utf8)), .insert("2", at: 2),
                     .insert("E", at: 6), TextEdit(range: 0..<1, replacement: [])]
        #expect(String(decoding: TextEdit.apply(edits, to: bytes), as: UTF8.self) == "b12XefE")
        #expect(TextEdit.insert("x", at: 3).overlaps(TextEdit(range: 2..<4, replacement: [])))
        #expect(!TextEdit.insert("x", at: 2).overlaps(TextEdit(range: 2..<4, replacement: [])))
        #expect(TextEdit(range: 1..<3, replacement: []).overlaps(TextEdit(range: 2..<4, replacement: [])))
    }
}

// MARK: - Planner

private func finding(_ code: String, model: String = ".", _ applicability: Applicability, _ action: FixAction) -> Finding {
    Finding(code: code, rule: code.lowercased(), severity: .warning, model: model,
            location: SourceLocation(path: FixPlanner.cardPath(ofModel: model), line: 1),
            message: code, fix: Fix(applicability, code, action))
}

private func snapshot(_ files: [String: String]) -> RepositorySnapshot {
    RepositorySnapshot(source: .directory, files: files.map {
        SnapshotFile(path: $0.key, size: UInt64($0.value.utf8.count), content: .full(Array($0.value.utf8)))
    })
}

@Suite struct FixPlannerTests {
    @Test func appliesSafeAndOnlyAllowedUnsafeFixes() {
        let snap = snapshot(["README.md": "---\ntags: [x]\n---\n# m\n", "sub/README.md": "# sub\n"])
        let findings = [
            finding("ML101", .safe, .addBaseModels(["a/b"])),
            finding("ML001", .safe, setMIT),
            finding("ML209", .unsafe, .appendToBody("Built with Llama")),
            finding("ML207", .unsafe, .writeFile(path: "NOTICE", text: "notice\n")),
            finding("ML200", .displayOnly, .none),
            finding("ML001", model: "sub", .unsafe, .setLicense(id: "apache-2.0", otherName: nil, link: nil)),
        ]
        let safe = FixPlanner.plan(findings, snapshot: snap, allowUnsafe: false)
        #expect(safe.changes == [FileChange(path: "README.md", before: Array("---\ntags: [x]\n---\n# m\n".utf8),
                                            after: Array("---\nlicense: mit\ntags: [x]\nbase_model: a/b\n---\n# m\n".utf8))])
        #expect(safe.applied.map(\.code) == ["ML101", "ML001"])
        #expect(safe.withheld.map(\.code) == ["ML209", "ML207", "ML001"])
        #expect(safe.skipped.isEmpty)

        let all = FixPlanner.plan(findings, snapshot: snap, allowUnsafe: true)
        #expect(all.changes.map(\.path) == ["NOTICE", "README.md", "sub/README.md"])
        #expect(all.changes[0] == FileChange(path: "NOTICE", before: nil, after: Array("notice\n".utf8)))
        #expect(String(decoding: all.changes[1].after, as: UTF8.self)
                == "---\nlicense: mit\ntags: [x]\nbase_model: a/b\n---\n# m\n\nBuilt with Llama\n")
        #expect(String(decoding: all.changes[2].after, as: UTF8.self) == "---\nlicense: apache-2.0\n---\n# sub\n")
    }

    @Test func safeFixesWinClashes() {
        let snap = snapshot(["README.md": "---\nlicense: foo\n---\n"])
        let unsafe = finding("ML002", .unsafe, .setLicense(id: "other", otherName: "foo", link: nil))
        let safe = finding("ML201", .safe, setApache)
        let plan = FixPlanner.plan([unsafe, safe], snapshot: snap, allowUnsafe: true)
        #expect(plan.applied == [safe])
        #expect(plan.skipped == [SkippedFix(finding: unsafe, reason: "`license` is already changed by another fix")])
        #expect(String(decoding: plan.changes[0].after, as: UTF8.self) == "---\nlicense: apache-2.0\n---\n")
    }

    @Test func writeFileCreatesOrAppends() {
        let notice = FixAction.writeFile(path: "NOTICE", text: "Llama notice\n")
        let crlf = snapshot(["NOTICE": "Other notice\r\nline"])
        let plan = FixPlanner.plan([finding("ML207", .unsafe, notice)], snapshot: crlf, allowUnsafe: true)
        #expect(plan.changes.first?.after == Array("Other notice\r\nline\r\nLlama notice\r\n".utf8))
        let done = snapshot(["NOTICE": "x\nLlama notice"])
        #expect(FixPlanner.plan([finding("ML207", .unsafe, notice)], snapshot: done, allowUnsafe: true).changes.isEmpty)
    }

    @Test func reportsFilesItCannotEdit() {
        let snap = RepositorySnapshot(source: .directory, files: [
            SnapshotFile(path: "README.md", size: 10, content: .symlink(target: "../x")),
            SnapshotFile(path: "m/README.md", size: 99, content: .head(Array("---\nlicense: mit\n".utf8))),
        ])
        let plan = FixPlanner.plan([finding("ML001", .safe, setMIT), finding("ML001", model: "m", .safe, setApache)],
                                   snapshot: snap, allowUnsafe: false)
        #expect(plan.changes.isEmpty)
        #expect(plan.skipped.map(\.reason) == ["README.md is a symbolic link", "the card is too large to edit"])
    }
}

// MARK: - Idempotence through the linter

private let knowledge = LicenseKnowledge(
    licenses: [
        LicenseRecord(id: "llama3.1", isHubID: true, name: "Llama 3.1 Community License",
                      url: "https://www.llama.com/llama3_1/license/",
                      terms: LicenseTerms(family: .llama, derivatives: .only(["llama3.1"]), useRestrictions: true,
                                          llamaFamily: "llama3", namePrefix: "Llama",
                                          notice: "Llama 3.1 is licensed under the Llama 3.1 Community License",
                                          builtWith: "Built with Llama", copyRequired: true, writtenForModels: true),
                      source: "test"),
        LicenseRecord(id: "mit", isHubID: true, name: "MIT", spdx: "MIT", terms: LicenseTerms(family: .permissive, derivatives: .any),
                      source: "test"),
    ],
    baseModels: [BaseModelEntry(id: "meta-llama/Llama-3.1-8B", license: "llama3.1", source: "test")])

private func lint(_ snap: RepositorySnapshot) -> LintResult {
    Linter.lint(LintRequest(snapshot: snap, configuration: Configuration(), knowledge: knowledge, rootName: "Llama-3.1-chat"))
}

/// `snap` with the plan's changes written.
private func applying(_ plan: FixPlan, to snap: RepositorySnapshot) -> RepositorySnapshot {
    var files = Dictionary(uniqueKeysWithValues: snap.files.map { ($0.path, $0) })
    for c in plan.changes { files[c.path] = SnapshotFile(path: c.path, size: UInt64(c.after.count), content: .full(c.after)) }
    return RepositorySnapshot(source: snap.source, files: Array(files.values))
}

@Suite struct FixIdempotenceTests {
    static let repos: [[String: String]] = [
        ["README.md": "# chat\n\nA chat model.",
         "adapter_config.json": "{\"base_model_name_or_path\": \"meta-llama/Llama-3.1-8B\", \"peft_type\": \"LORA\"}\n"],
        ["README.md": "\u{FEFF}---\r\ntags: [chat] # t\r\nlicense:\r\n- llama3.1\r\n- mit\r\n---\r\n# chat\r\n",
         "adapter_config.json": "{\"base_model_name_or_path\": \"meta-llama/Llama-3.1-8B\", \"peft_type\": \"LORA\"}\n"],
        ["README.md": "---\nlicense: 'mit'\nbase_model: meta-llama/Llama-3.1-8B\n---\n"],
    ]

    @Test(arguments: repos) func planningAgainChangesNothing(_ files: [String: String]) {
        var snap = snapshot(files)
        let first = FixPlanner.plan(lint(snap), snapshot: snap, allowUnsafe: true)
        #expect(!first.changes.isEmpty)
        snap = applying(first, to: snap)
        for change in first.changes where change.path.hasSuffix("README.md") {
            #expect(ModelCard(path: change.path, bytes: change.after).hasValidMetadata)
        }
        let second = FixPlanner.plan(lint(snap), snapshot: snap, allowUnsafe: true)
        #expect(second.changes.isEmpty, "\(second.changes.map { String(decoding: $0.after, as: UTF8.self) })")
    }

    @Test func fixesTheLicenseAndDeclaresTheBase() {
        let snap = snapshot(Self.repos[0])
        let plan = FixPlanner.plan(lint(snap), snapshot: snap, allowUnsafe: false)
        let readme = plan.changes.first { $0.path == "README.md" }.map { ModelCard(path: "README.md", bytes: $0.after) }
        #expect(readme?.license?.string == "llama3.1")
        #expect(readme?.baseModels.map(\.value) == ["meta-llama/Llama-3.1-8B"])
    }
}

// MARK: - Unified diff

@Suite struct UnifiedDiffTests {
    @Test func changedLineWithContext() {
        let before = Array("---\nlicense: mit\n---\n1\n2\n3\n4\n5\n6\n7\n8\n".utf8)
        let after = Array("---\nlicense: apache-2.0\n---\n1\n2\n3\n4\n5\n6\n7\n8\n".utf8)
        #expect(UnifiedDiff.render(path: "README.md", before: before, after: after) == """
            --- a/README.md
            +++ b/README.md
            @@ -1,5 +1,5 @@
             ---
            -license: mit
            +license: apache-2.0
             ---
             1
             2

            """)
    }

    @Test func separateHunksAndMissingNewline() {
        let before = Array((1...12).map(String.init).joined(separator: "\n").utf8)
        var lines = (1...12).map(String.init)
        lines[0] = "one"
        lines[11] = "twelve"
        let after = Array((lines.joined(separator: "\n") + "\n").utf8)
        #expect(UnifiedDiff.render(path: "f", before: before, after: after) == """
            --- a/f
            +++ b/f
            @@ -1,4 +1,4 @@
            -1
            +one
             2
             3
             4
            @@ -9,4 +9,4 @@
             9
             10
             11
            -12
            \\ No newline at end of file
            +twelve

            """)
    }

    @Test func newFileAndInsertion() {
        #expect(UnifiedDiff.render(path: "NOTICE", before: nil, after: Array("a\nb\n".utf8)) == """
            --- /dev/null
            +++ b/NOTICE
            @@ -0,0 +1,2 @@
            +a
            +b

            """)
        #expect(UnifiedDiff.render(path: "f", before: Array("x\n".utf8), after: Array("x\n".utf8)) == "")
        #expect(UnifiedDiff.render(path: "f", before: Array("a\r\nb".utf8), after: Array("a\r\nb\r\nc\r\n".utf8)) == """
            --- a/f
            +++ b/f
            @@ -1,2 +1,3 @@
             a\r
            -b
            \\ No newline at end of file
            +b\r
            +c\r

            """)
    }
}

// MARK: - Cross-check with huggingface_hub

/// A Python that can import huggingface_hub: `MLICENSE_HF_PYTHON`, a venv at
/// /tmp/mlicense-hf-venv, or `python3`; nil (with the reason) when none can.
private let hubPython: (path: String?, reason: String) = {
    let env = ProcessInfo.processInfo.environment
    var candidates = ["/tmp/mlicense-hf-venv/bin/python", "/usr/bin/env"]
    if let p = env["MLICENSE_HF_PYTHON"] { candidates.insert(p, at: 0) }
    for c in candidates where FileManager.default.isExecutableFile(atPath: c) {
        let args = c == "/usr/bin/env" ? ["python3", "-c", "import huggingface_hub"] : ["-c", "import huggingface_hub"]
        if (try? run(c, args))?.status == 0 { return (c, "") }
    }
    return (nil, "no python with huggingface_hub (set MLICENSE_HF_PYTHON, or pip install huggingface_hub into /tmp/mlicense-hf-venv)")
}()

private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, data)
}

@Suite struct HuggingFaceHubFixTests {
    /// Every fixed golden card, written to a file, read by `huggingface_hub.metadata_load` with the
    /// intended values.
    @Test func metadataLoadReadsTheFixedCards() throws {
        guard let python = hubPython.path else {
            print("skipped: \(hubPython.reason)")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fix-hf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for (i, g) in goldens.enumerated() {
            let url = dir.appendingPathComponent("\(i).md")
            try Data(fixed(g.before, g.actions).utf8).write(to: url)
            paths.append(url.path)
        }
        let script = """
            import json, sys
            from huggingface_hub import metadata_load
            print(json.dumps([metadata_load(p) for p in sys.argv[1:]]))
            """
        let args = python == "/usr/bin/env" ? ["python3", "-c", script] + paths : ["-c", script] + paths
        let (status, output) = try run(python, args)
        try #require(status == 0)
        let loaded = try #require(try JSONSerialization.jsonObject(with: output) as? [Any])
        try #require(loaded.count == goldens.count)
        for (g, meta) in zip(goldens, loaded) {
            let dict = meta as? [String: Any] ?? [:]
            for (key, expected) in g.expect {
                let v = dict[key]
                let text = (v as? [Any]).map { $0.map { "\($0)" }.joined(separator: ",") } ?? (v as? String)
                #expect(text == expected, "\(g.name): \(key) is \(String(describing: v))")
            }
        }
    }
}
