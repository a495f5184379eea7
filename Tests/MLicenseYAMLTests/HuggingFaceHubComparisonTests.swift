import Foundation
import MLicenseYAML
import Testing

/// Runs huggingface_hub's `REGEX_YAML_BLOCK` and PyYAML's `safe_load` through Python, when installed.
///
/// The interpreter is `$MLICENSE_PYTHON`, else `python3` on the PATH; the comparison is skipped
/// when it cannot import `huggingface_hub`.
enum HubPython {
    static let python = ProcessInfo.processInfo.environment["MLICENSE_PYTHON"] ?? "python3"

    static let isAvailable: Bool = (try? run(["-c", "import huggingface_hub.repocard"], input: Data())) != nil

    /// The regex's groups 1–3 for each text (after stripping one BOM, as `utf-8-sig` does), or nil
    /// where it does not match.
    static func groups(_ texts: [String]) throws -> [[String]?] {
        let script = """
            import json, sys
            from huggingface_hub.repocard import REGEX_YAML_BLOCK
            out = []
            for text in json.load(sys.stdin):
                m = REGEX_YAML_BLOCK.search(text[1:] if text.startswith("\\ufeff") else text)
                out.append(None if m is None else [m.group(1), m.group(2), m.group(3)])
            json.dump(out, sys.stdout)
            """
        let output = try run(["-c", script], input: JSONEncoder().encode(texts))
        return try JSONDecoder().decode([[String]?].self, from: output)
    }

    /// Whether PyYAML's `yaml.safe_load` (what huggingface_hub calls) accepts each text.
    static func safeLoadAccepts(_ texts: [String]) throws -> [Bool] {
        let script = """
            import json, sys, yaml
            out = []
            for text in json.load(sys.stdin):
                try:
                    yaml.safe_load(text)
                    out.append(True)
                except Exception:
                    out.append(False)
            json.dump(out, sys.stdout)
            """
        return try JSONDecoder().decode([Bool].self, from: run(["-c", script], input: JSONEncoder().encode(texts)))
    }

    private struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static func run(_ arguments: [String], input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "\(python) exited with \(process.terminationStatus)") }
        return output
    }
}

/// Texts on which `FrontMatter.locate` must agree with the Hub's regex.
let trickyCards: [String] = [
    "---\nlicense: mit\n---\n# body",
    "---\nlicense: mit\n# body\n",
    "\u{FEFF}---\nlicense: mit\n---\n",
    "\u{FEFF}\u{FEFF}---\nlicense: mit\n---\n",
    "---\r\nlicense: mit\r\n---\r\n# body\r\n",
    "---\rlicense: mit\r---\r# body",
    "---\rlicense: mit\r---",
    "---\rlicense: mit\r---\n",
    "---\nlicense: mit\n---\r# body",
    "---\n---\n",
    "---\r\n---\r\n",
    "---\r\n---\n",
    "---\r---\r\n",
    "---\n\n---\n",
    "\n  \n\t---\nlicense: mit\n---\n",
    "\u{3000}\u{85}\u{A0}\u{2028}\u{1C}\u{B}---\nlicense: mit\n---\n",
    "\u{200B}---\nlicense: mit\n---\n",
    "# Title\n---\nlicense: mit\n---\n",
    "---\nlicense: mit\n---   \n# body",
    "---\nlicense: mit\n---\t \r\n# body",
    "---\nlicense: mit\n--- x\n---\n",
    "---\nlicense: mit\n...\n# body",
    "--- \nlicense: mit\n---\n",
    "----\nlicense: mit\n----\n",
    "---\nlicense: mit\n----\n# body",
    "---\nlicense: mit\n---",
    "---\nlicense: mit\n---  ",
    "---\nlicense: mit\n---\r",
    "---\nlicense: mit\n---\n\n",
    "---\n- mit\n---\n",
    "---\nlicense: mit\nlicense: apache-2.0\n---\n",
    "---\nlicense: [mit\n---\n",
    "---\nlicense:\n\tname: mit\n---\n",
    "---\nlicense: no\n---\n",
    "---\nlicense: mit\n---\n# Title\n\n---\n\nmore\n---\n",
    "---\nlicense: mit\r\n---x\n---\r\n",
    "---\na: 1\r---\r\n",
    "---\na: 1\r\n\r\n---\r\n",
    "---\na: |\n  ---\n---\n",
    "---\nname: Café ✓\n---\nbody ✓",
    "---",
    "---\n",
    "",
    " \n\t",
    "\u{FEFF}",
]

@Suite struct HuggingFaceHubComparisonTests {
    @Test(.enabled(if: HubPython.isAvailable, "python3 with huggingface_hub is not available (set MLICENSE_PYTHON)"))
    func locateAgreesWithHuggingFaceHub() throws {
        let expected = try HubPython.groups(trickyCards)
        #expect(expected.count == trickyCards.count)
        #expect(expected.contains { $0 == nil } && expected.contains { $0 != nil })
        Self.compare(trickyCards, expected)
    }

    @Test(.enabled(if: HubPython.isAvailable, "python3 with huggingface_hub is not available (set MLICENSE_PYTHON)"))
    func locateAgreesWithHuggingFaceHubOnGeneratedTexts() throws {
        // Short texts over the characters the regex cares about, from a fixed-seed generator.
        let alphabet = ["-", "---", "\n---", "\r\n---", "\r---", "\n", "\r", "\r\n", " ", "\t", ".", "a", "\u{FEFF}", "\u{3000}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let openings = ["", "---", "---\n", "---\r\n", "---\r", "\u{FEFF}---\n", " \n---", "\u{FEFF}\r\n---\r\n"]
        let texts = (0..<4000).map { _ in
            openings[next(openings.count)] + (0..<next(10)).map { _ in alphabet[next(alphabet.count)] }.joined()
        }
        let expected = try HubPython.groups(texts)
        #expect(expected.count == texts.count)
        #expect(expected.filter { $0 != nil }.count > 500)
        Self.compare(texts, expected)
    }

    @Test(.enabled(if: HubPython.isAvailable, "python3 with huggingface_hub is not available (set MLICENSE_PYTHON)"))
    func parseAcceptsWhatSafeLoadAccepts() throws {
        let texts = [
            "license: mit\n", "license: [mit\n", "a:\n\tb: 1\n", "a: 1\n---\nb: 2\n", "--- a\n...\n", "a: *x\n",
            "a: &x 1\nb: *x\n", "a: 1\n...\n", "", "# comment\n", "a: \"\\q\"\n", "a: 'x\n", "a: b: c\n",
            "- a\nb: c\n", "a: |\n  x\n b\n", "? a\n: b\n", "a: !!str 1\n", "a: b\u{1}\n",
            "a: b\u{7F}\n", "a: b\u{85}c\n", "a: \u{FFFE}\n", "license: mit\nlicense: gpl-3.0\n", "a: [b, {c: d}]\n",
            "a:\n  - b\n  c: d\n", "%YAML 1.1\n---\na: 1\n", "a: @b\n", "a: `b\n", "a: b #c\n", "a: b#c\n",
            "{a: 1, a: 2}\n", "&a a: &a b\n", "- &a 1\n- &a 2\n",
        ]
        // Accepted here, refused by PyYAML: its pure-Python scanner takes no tab between tokens, and
        // tags are not checked against their values here. Refused here, accepted by PyYAML: an alias
        // inside the node it names (PyYAML builds a cycle, a tree of values cannot hold one).
        let onlyHere = ["a: b\t\n", "a:\tb\n", "a: [b\t]\n", "a: !!int x\n"]
        let onlyPyYAML = ["&a [*a]\n"]
        let all = texts + onlyHere + onlyPyYAML
        let accepted = try HubPython.safeLoadAccepts(all)
        #expect(accepted.count == all.count)
        for (text, pyyaml) in zip(all, accepted) {
            let parses = (try? YAML.parse(Array(text.utf8))) != nil
            let expected = onlyHere.contains(text) ? true : onlyPyYAML.contains(text) ? false : pyyaml
            #expect(parses == expected, "\(text.debugDescription)")
            #expect(parses != pyyaml || !(onlyHere + onlyPyYAML).contains(text), "no longer diverges: \(text.debugDescription)")
        }
    }

    private static func compare(_ texts: [String], _ expected: [[String]?]) {
        for (text, groups) in zip(texts, expected) {
            let bytes = Array(text.utf8)
            let found = FrontMatter.locate(in: bytes).frontMatter.map { FencePieces($0, in: bytes) }
            #expect(found == groups.map { FencePieces($0[0], $0[1], $0[2]) }, "\(text.debugDescription)")
        }
    }
}
