import Foundation
import MLicenseCore
import MLicenseKnowledge
import MLicenseTestSupport
import Testing

/// What a bad input is fed to.
enum BadInputSubject: Sendable {
    /// A repository snapshot, checked by the linter.
    case repo(@Sendable () -> [SnapshotFile])
    /// The text of `.mlicense.yml`, read by `Configuration.parse`.
    case configuration([UInt8])
    /// The first bytes of a GGUF file (`isWholeFile` says whether they are all of it).
    case gguf([UInt8], isWholeFile: Bool)
}

/// What must come out of a bad input (besides finishing quickly without a crash).
enum BadInputOutcome: Sendable {
    /// A finding with `code` in `path` at `line` (nil: no line).
    case finding(String, path: String, line: Int?)
    /// No finding with any of these codes.
    case noFinding([String])
    /// `Configuration.parse` throws an error at `line` whose message contains `mentioning`.
    case configurationError(line: Int, mentioning: String)
    /// `Configuration.parse` succeeds with a warning at `line`.
    case configurationWarning(line: Int, mentioning: String)
    /// `GGUFHeader.parse` fails with a message containing the text.
    case ggufFailure(String)
    /// `GGUFHeader.parse` succeeds.
    case ggufSuccess
}

/// One named bad input and its expected outcome.
struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    var subject: BadInputSubject
    var outcome: BadInputOutcome
    var testDescription: String { name }
}

// MARK: - Building inputs

private func file(_ path: String, _ text: String) -> SnapshotFile {
    let b = Array(text.utf8)
    return SnapshotFile(path: path, size: UInt64(b.count), content: .full(b))
}

private func file(_ path: String, bytes b: [UInt8]) -> SnapshotFile {
    SnapshotFile(path: path, size: UInt64(b.count), content: .full(b))
}

/// A repository holding only a README.md with `text`.
private func card(_ name: String, _ text: String, _ outcome: BadInputOutcome) -> BadInput {
    BadInput(name: name, subject: .repo { [file("README.md", text)] }, outcome: outcome)
}

private func cardBytes(_ name: String, _ bytes: [UInt8], _ outcome: BadInputOutcome) -> BadInput {
    BadInput(name: name, subject: .repo { [file("README.md", bytes: bytes)] }, outcome: outcome)
}

/// A repository with a valid card and one more file.
private func repo(_ name: String, _ files: [SnapshotFile], _ outcome: BadInputOutcome) -> BadInput {
    BadInput(name: name, subject: .repo { files }, outcome: outcome)
}

private func config(_ name: String, _ text: String, _ outcome: BadInputOutcome) -> BadInput {
    BadInput(name: name, subject: .configuration(Array(text.utf8)), outcome: outcome)
}

private let goodCard = "---\nlicense: apache-2.0\n---\n# model\n"

/// `[[[…]]]` nested `depth` levels, as a JSON value of `key` in an object.
private func deepJSON(_ key: String, depth: Int) -> [UInt8] {
    Array("{\"\(key)\": ".utf8) + [UInt8](repeating: UInt8(ascii: "["), count: depth)
        + [UInt8](repeating: UInt8(ascii: "]"), count: depth) + Array("}".utf8)
}

/// A billion-laughs document: nine levels of nine aliases each.
private let billionLaughs: String = {
    var s = "---\nlicense: mit\nlol0: &a0 \"lol\"\n"
    for i in 1...9 {
        s += "lol\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
    }
    return s + "tags: *a9\n---\n"
}()

/// The first `FileInterest.textLimit` bytes of a 100 MB README: front matter, then filler.
private let hugeCardHead: [UInt8] = {
    var b = Array("---\nlicense: apache-2.0\n---\n".utf8)
    let line = Array("lorem ipsum dolor sit amet, consectetur adipiscing elit\n".utf8)
    b.reserveCapacity(FileInterest.textLimit)
    while b.count + line.count <= FileInterest.textLimit { b += line }
    return b
}()

private func gguf(_ build: (inout GGUFBuilder) -> Void) -> [UInt8] {
    var b = GGUFBuilder()
    build(&b)
    return b.build()
}

private let mergeCard = """
    ---
    license: apache-2.0
    base_model:
    - org/a
    - org/b
    tags: [merge, mergekit]
    ---
    # merged

    ## Configuration

    ```yaml
    """

// MARK: - The catalogue

let badInputs: [BadInput] = [
    // Front matter.
    // libyaml reports the unclosed flow sequence on its own line.
    card("front matter is not YAML", "---\nlicense: [mit\n---\n", .finding("ML004", path: "README.md", line: 2)),
    card("front matter is a list", "---\n- license: mit\n---\n", .finding("ML004", path: "README.md", line: 2)),
    card("front matter is a scalar", "---\njust words\n---\n", .finding("ML004", path: "README.md", line: 2)),
    card("front matter unterminated", "---\nlicense: mit\n# title\n", .finding("ML004", path: "README.md", line: 1)),
    card("front matter closed by ...", "---\nlicense: mit\n...\n", .finding("ML004", path: "README.md", line: 3)),
    card("front matter with BOM", "\u{FEFF}---\nlicense: apache-2.0\n---\n", .noFinding(["ML004", "ML002", "ML001"])),
    card("front matter with CRLF", "---\r\nlicense: apache-2.0\r\n---\r\n# t\r\n", .noFinding(["ML004", "ML002", "ML001"])),
    card("front matter with CRLF and bad license", "---\r\nlicense: not-a-license\r\n---\r\n",
         .finding("ML002", path: "README.md", line: 2)),
    card("front matter with lone CR", "---\rlicense: mit\r---\r", .finding("ML004", path: "README.md", line: nil)),
    card("front matter indented with a tab", "---\nbase_model:\n\t- org/a\nlicense: mit\n---\n",
         .finding("ML004", path: "README.md", line: 3)),
    card("duplicate license key", "---\nlicense: mit\nlicense: apache-2.0\n---\n",
         .finding("ML005", path: "README.md", line: 3)),
    card("license yes (YAML 1.1 boolean)", "---\nlicense: yes\n---\n", .finding("ML002", path: "README.md", line: 2)),
    card("license no (YAML 1.1 boolean)", "---\nlicense: no\n---\n", .finding("ML002", path: "README.md", line: 2)),
    card("license on (YAML 1.1 boolean)", "---\nlicense: on\n---\n", .finding("ML002", path: "README.md", line: 2)),
    card("license off (YAML 1.1 boolean)", "---\nlicense: off\n---\n", .finding("ML002", path: "README.md", line: 2)),
    card("license through an alias", "---\nx: &l apache-2.0\nlicense: *l\n---\n", .noFinding(["ML004", "ML002", "ML001"])),
    card("undefined alias", "---\nlicense: *nowhere\n---\n", .finding("ML004", path: "README.md", line: 2)),
    card("anchor defined twice", "---\na: &x 1\nb: &x 2\nlicense: mit\n---\n", .finding("ML004", path: "README.md", line: 3)),
    card("billion laughs", billionLaughs, .noFinding(["ML002", "ML001"])),
    BadInput(name: "100 MB README (head only)",
             subject: .repo { [SnapshotFile(path: "README.md", size: 100 << 20, content: .head(hugeCardHead))] },
             outcome: .noFinding(["ML004", "ML002", "ML001"])),
    BadInput(name: "100 MB README unterminated (head only)",
             subject: .repo {
                 var b = hugeCardHead
                 b.replaceSubrange(0..<4, with: Array("---\n".utf8))
                 b[24] = UInt8(ascii: "x") // break the closing fence: `---` → `x--`
                 return [SnapshotFile(path: "README.md", size: 100 << 20, content: .head(b))]
             },
             outcome: .finding("ML004", path: "README.md", line: 1)),
    cardBytes("invalid UTF-8 in front matter", Array("---\nlicense: mit\nname: ".utf8) + [0xC3, 0x28, 0xFF] + Array("\n---\n".utf8),
              .finding("ML004", path: "README.md", line: nil)),
    cardBytes("invalid UTF-8 in body only", Array("---\nlicense: apache-2.0\n---\n# t ".utf8) + [0xFF, 0xFE, 0x0A],
              .noFinding(["ML004", "ML002", "ML001"])),
    cardBytes("NUL byte in front matter", Array("---\nlicense: mit\nx: a".utf8) + [0] + Array("b\n---\n".utf8),
              .finding("ML004", path: "README.md", line: nil)),
    card("license is a list", "---\nlicense:\n- mit\n- apache-2.0\n---\n", .finding("ML002", path: "README.md", line: 3)),
    card("license is a mapping", "---\nlicense:\n  id: mit\n---\n", .finding("ML002", path: "README.md", line: 3)),
    card("license is a number", "---\nlicense: 2.0\n---\n", .finding("ML002", path: "README.md", line: 2)),
    card("license is an empty string", "---\nlicense: ''\n---\n", .finding("ML002", path: "README.md", line: 2)),
    card("license is null", "---\nlicense:\n---\n", .finding("ML001", path: "README.md", line: nil)),
    card("base_model is a mapping", "---\nlicense: apache-2.0\nbase_model:\n  id: org/a\n---\n",
         .noFinding(["ML004"])),
    card("base_model is an empty string", "---\nlicense: apache-2.0\nbase_model: ''\n---\n", .noFinding(["ML004"])),
    card("base_model with spaces", "---\nlicense: apache-2.0\nbase_model: org/my model\n---\n", .noFinding(["ML004"])),
    card("base_model with ..", "---\nlicense: apache-2.0\nbase_model: ../../etc\n---\n", .noFinding(["ML004"])),
    card("base_model deeply nested", "---\nlicense: apache-2.0\nbase_model: " + String(repeating: "[", count: 5000)
             + String(repeating: "]", count: 5000) + "\n---\n", .finding("ML004", path: "README.md", line: nil)),

    // JSON configurations.
    repo("config.json truncated", [file("README.md", goodCard), file("config.json", "{\"model_type\": \"llama\", \"_name")],
         .finding("ML006", path: "config.json", line: nil)),
    repo("adapter_config.json truncated", [file("README.md", goodCard), file("adapter_config.json", "{\"peft_type\": ")],
         .finding("ML006", path: "adapter_config.json", line: nil)),
    repo("adapter_config.json nested 100,000 levels",
         [file("README.md", goodCard), file("adapter_config.json", bytes: deepJSON("x", depth: 100_000))],
         .finding("ML006", path: "adapter_config.json", line: nil)),
    repo("config.json nested 100,000 levels",
         [file("README.md", goodCard), file("config.json", bytes: deepJSON("model_type", depth: 100_000))],
         .noFinding(["ML004"])),
    repo("adapter_config.json nested 512 levels is fine",
         [file("README.md", goodCard), file("adapter_config.json", bytes: deepJSON("x", depth: 500))],
         .noFinding(["ML006"])),
    repo("adapter_config.json brackets inside strings do not count",
         [file("README.md", goodCard),
          file("adapter_config.json", "{\"peft_type\": \"LORA\", \"note\": \"" + String(repeating: "[{", count: 2000) + "\\\"\"}")],
         .noFinding(["ML006"])),
    repo("adapter_config.json huge (4 MB)",
         [file("README.md", goodCard),
          file("adapter_config.json", "{\"peft_type\": \"LORA\", \"pad\": \"" + String(repeating: "x", count: 4 << 20) + "\"}")],
         .noFinding(["ML006"])),
    repo("adapter_config.json is a list", [file("README.md", goodCard), file("adapter_config.json", "[1, 2]")],
         .finding("ML006", path: "adapter_config.json", line: 1)),
    repo("base_model_name_or_path is a number",
         [file("README.md", goodCard), file("adapter_config.json", "{\"peft_type\": \"LORA\",\n \"base_model_name_or_path\": 5}")],
         .noFinding(["ML004"])),
    repo("adapter_config.json with NUL", [file("README.md", goodCard), file("adapter_config.json", bytes: [0x7B, 0, 0x7D])],
         .finding("ML006", path: "adapter_config.json", line: nil)),
    repo("adapter_config.json empty", [file("README.md", goodCard), file("adapter_config.json", "")],
         .finding("ML006", path: "adapter_config.json", line: nil)),

    // mergekit.
    repo("mergekit +lora cycle",
         [file("README.md", "---\nlicense: apache-2.0\nbase_model: [org/a, org/b]\n---\n"),
          file("mergekit_config.yml", "merge_method: linear\nmodels:\n- model: org/a+org/b\n- model: org/b+org/a\n- model: org/a+org/a+org/a\n")],
         .noFinding(["ML004", "ML006"])),
    repo("mergekit models missing",
         [file("README.md", "---\nlicense: apache-2.0\n---\n"), file("mergekit_config.yml", "merge_method: ties\nmodels:\n")],
         .noFinding(["ML004", "ML006"])),
    repo("mergekit model is empty or only +",
         [file("README.md", "---\nlicense: apache-2.0\n---\n"),
          file("mergekit_config.yml", "merge_method: ties\nmodels:\n- model: ''\n- model: '+'\n- model: '++'\n- model:\n")],
         .noFinding(["ML004", "ML006"])),
    repo("mergekit config not YAML",
         [file("README.md", "---\nlicense: apache-2.0\n---\n"), file("mergekit_config.yml", "merge_method: [ties\n")],
         .finding("ML006", path: "mergekit_config.yml", line: 2)),
    repo("mergekit config without mergekit keys",
         [file("README.md", "---\nlicense: apache-2.0\n---\n"), file("mergekit_config.yml", "hello: world\n")],
         .finding("ML006", path: "mergekit_config.yml", line: 1)),
    card("card Configuration block unterminated", mergeCard + "\nmerge_method: slerp\nmodels:\n- model: org/a+org/b\n",
         .noFinding(["ML004", "ML006"])),
    card("card Configuration block not YAML", mergeCard + "\nmerge_method: [slerp\n```\n",
         .finding("ML006", path: "README.md", line: 14)),

    // GGUF.
    BadInput(name: "GGUF wrong magic", subject: .gguf(Array("GGML".utf8) + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 16), isWholeFile: true),
             outcome: .ggufFailure("not a gguf file")),
    BadInput(name: "GGUF truncated header", subject: .gguf(Array(gguf { $0.add("general.license", .string("mit")) }.prefix(30)), isWholeFile: true),
             outcome: .ggufFailure("")),
    BadInput(name: "GGUF empty", subject: .gguf([], isWholeFile: true), outcome: .ggufFailure("")),
    BadInput(name: "GGUF absurd metadata count",
             subject: .gguf(gguf { $0.add("general.license", .string("mit")); $0.metadataCountOverride = UInt64.max }, isWholeFile: true),
             outcome: .ggufFailure("")),
    BadInput(name: "GGUF absurd tensor count",
             subject: .gguf(gguf { $0.tensorCountOverride = 1 << 60 }, isWholeFile: true), outcome: .ggufFailure("")),
    BadInput(name: "GGUF unknown value type",
             subject: .gguf(gguf { $0.addRaw(key: Array("x.y".utf8), type: 99, payload: [1, 2, 3, 4]) }, isWholeFile: true),
             outcome: .ggufFailure("")),
    BadInput(name: "GGUF huge string length",
             subject: .gguf(gguf { var w = GGUFByteWriter(); w.u64(UInt64.max); w.raw(Array("abc".utf8))
                 $0.addRaw(key: Array("general.license".utf8), type: 8, payload: w.bytes) }, isWholeFile: true),
             outcome: .ggufFailure("")),
    BadInput(name: "GGUF huge array count",
             subject: .gguf(gguf { var w = GGUFByteWriter(); w.u32(0); w.u64(UInt64.max)
                 $0.addRaw(key: Array("x.arr".utf8), type: 9, payload: w.bytes) }, isWholeFile: true),
             outcome: .ggufFailure("")),
    BadInput(name: "GGUF deeply nested arrays",
             subject: .gguf(gguf { var w = GGUFByteWriter(); for _ in 0..<10_000 { w.u32(9); w.u64(1) }
                 $0.addRaw(key: Array("x.arr".utf8), type: 9, payload: w.bytes) }, isWholeFile: true),
             outcome: .ggufFailure("")),
    BadInput(name: "GGUF head of a bigger file is fine",
             subject: .gguf(gguf { $0.add("general.license", .string("mit")) }, isWholeFile: false), outcome: .ggufSuccess),
    repo("GGUF wrong magic in a repository",
         [file("README.md", goodCard), file("model.gguf", bytes: Array("NOPE".utf8) + [UInt8](repeating: 0, count: 20))],
         .finding("ML006", path: "model.gguf", line: 1)),

    // .mlicense.yml
    config(".mlicense.yml not YAML", "version: 1\nrules: [a\n", .configurationError(line: 3, mentioning: "not valid YAML")),
    config(".mlicense.yml a list", "- version: 1\n", .configurationError(line: 1, mentioning: "mapping")),
    config(".mlicense.yml unknown key", "version: 1\ncolour: blue\n", .configurationWarning(line: 2, mentioning: "colour")),
    config(".mlicense.yml unsupported version", "version: 7\n", .configurationError(line: 1, mentioning: "version")),
    config(".mlicense.yml fail-on wrong value", "version: 1\nfail-on: panic\n", .configurationError(line: 2, mentioning: "fail-on")),
    config(".mlicense.yml rules a list", "version: 1\nrules:\n- ML001\n", .configurationError(line: 3, mentioning: "rules")),
    config(".mlicense.yml exclude a mapping", "version: 1\nexclude:\n  a: b\n", .configurationError(line: 3, mentioning: "exclude")),
    config(".mlicense.yml ignore without reason", "version: 1\nignore:\n- rule: ML001\n",
           .configurationError(line: 3, mentioning: "reason")),
    config(".mlicense.yml hf-cache not a boolean", "version: 1\nresolve:\n  hf-cache: maybe\n",
           .configurationError(line: 3, mentioning: "hf-cache")),
    config(".mlicense.yml billion laughs", "version: 1\n" + billionLaughs.dropFirst(4).replacingOccurrences(of: "---\n", with: ""),
           .configurationWarning(line: 2, mentioning: "license")),
    BadInput(name: ".mlicense.yml invalid UTF-8", subject: .configuration(Array("version: 1\nx: ".utf8) + [0xFF, 0xFE]),
             outcome: .configurationError(line: 2, mentioning: "")),
    config(".mlicense.yml custom terms not a mapping", "version: 1\nlicenses:\n  acme: yes\n",
           .configurationError(line: 3, mentioning: "terms of acme")),
    config(".mlicense.yml custom terms flag not a boolean", "version: 1\nlicenses:\n  acme:\n    non-commercial: sometimes\n",
           .configurationError(line: 4, mentioning: "non-commercial")),
    config(".mlicense.yml unknown base kind", "version: 1\nbase-licenses:\n  x/y: {license: mit, kind: robot}\n",
           .configurationError(line: 3, mentioning: "kind")),
    // Card bodies read for lineage.
    card("metadata block at the end of the card", "# merge\n\ntext\n\n---\nlicense: mit\n---\n",
         .finding("ML004", path: "README.md", line: 5)),
    card("a lineage phrase on a line of 200,000 brackets", "---\nlicense: mit\ntags: [lora]\n---\nfine-tuned from "
            + String(repeating: "[", count: 200_000) + "\n", .noFinding(["ML101", "ML004"])),
    card("a lineage phrase with 100,000 links", "---\nlicense: mit\ntags: [lora]\n---\nquants of "
            + String(repeating: "https://huggingface.co/a/b ", count: 100_000) + "\n", .finding("ML101", path: "README.md", line: 5)),
    card("20,000 lines each linking another model", "---\nlicense: mit\ntags: [lora]\n---\n"
            + (0..<20_000).map { "fine-tuned from https://huggingface.co/o\($0)/m\($0)\n" }.joined(),
         .finding("ML101", path: "README.md", line: 5)),
    card("100,000 thematic breaks and no metadata", "# title\n\n" + String(repeating: "---\nlicense\n", count: 100_000), .noFinding(["ML004"])),
    card("a body mergekit block of 50,000 models", "---\nlicense: mit\n---\n# m\n\n```yaml\nmerge_method: linear\nmodels:\n"
            + String(repeating: "  - model: a/b\n", count: 50_000) + "```\n", .noFinding(["ML004"])),
]

// MARK: - The test

@Suite struct BadInputCatalogueTests {
    @Test("the catalogue has enough inputs with unique names")
    func catalogueSize() {
        #expect(badInputs.count >= 40)
        #expect(Set(badInputs.map(\.name)).count == badInputs.count)
    }

    @Test("a bad input gives its expected outcome quickly", arguments: badInputs)
    func badInput(_ input: BadInput) throws {
        let clock = ContinuousClock()
        let start = clock.now
        switch input.subject {
        case .repo(let files):
            let request = LintRequest(snapshot: RepositorySnapshot(source: .directory, files: files()),
                                      configuration: Configuration(), knowledge: BuiltinKnowledge.shared,
                                      rootName: "model")
            let result = Linter.lint(request)
            let all = result.findings
            switch input.outcome {
            case .finding(let code, let path, let line):
                let match = all.first { $0.code == code && $0.location.path == path }
                #expect(match != nil, "expected \(code) in \(path); got \(all.map { "\($0.code) \($0.location.display) \($0.message)" })")
                if let match, let line { #expect(match.location.line == line, "\(match.message)") }
            case .noFinding(let codes):
                let bad = all.filter { codes.contains($0.code) }
                #expect(bad.isEmpty, "unexpected: \(bad.map { "\($0.code) \($0.location.display) \($0.message)" })")
            default:
                Issue.record("outcome does not fit a repository")
            }
        case .configuration(let bytes):
            switch input.outcome {
            case .configurationError(let line, let text):
                #expect(throws: ConfigurationError.self) { try Configuration.parse(bytes, path: ".mlicense.yml") }
                do {
                    _ = try Configuration.parse(bytes, path: ".mlicense.yml")
                } catch {
                    #expect(error.location.line == line, "\(error)")
                    #expect(error.location.path == ".mlicense.yml")
                    #expect(text.isEmpty || error.message.contains(text), "\(error)")
                }
            case .configurationWarning(let line, let text):
                let config = try Configuration.parse(bytes, path: ".mlicense.yml")
                let w = config.warnings.first { $0.message.contains(text) }
                #expect(w != nil, "\(config.warnings)")
                #expect(w?.location.line == line)
            default:
                Issue.record("outcome does not fit a configuration")
            }
        case .gguf(let bytes, let whole):
            let result = GGUFHeader.parse(bytes, isWholeFile: whole)
            switch (input.outcome, result) {
            case (.ggufFailure(let text), .failure(let e)):
                #expect(text.isEmpty || "\(e)".contains(text), "\(e)")
            case (.ggufSuccess, .success):
                break
            default:
                Issue.record("unexpected GGUF result \(result)")
            }
        }
        let elapsed = clock.now - start
        // Generous for a debug build on a loaded machine; a hang or a quadratic pass blows it.
        #expect(elapsed < .seconds(15), "took \(elapsed)")
    }
}
