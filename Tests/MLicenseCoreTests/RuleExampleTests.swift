import Foundation
import MLicenseCore
import MLicenseTestSupport
import Testing

/// A rule example in one of its variants.
struct ExampleCase: CustomTestStringConvertible, Sendable {
    let code: String
    let index: Int
    let triggering: Bool
    let variant: String
    let example: RuleExample

    var testDescription: String { "\(code) \(triggering ? "triggering" : "non-triggering") #\(index) \(variant)" }

    /// The example's files with the variant applied, and the expected marker locations.
    func prepared() -> (files: [String: String], markers: [MLicenseCore.SourceLocation], rootName: String, config: String?) {
        var files = example.files
        var rootName = example.folderName
        switch variant {
        case "crlf":
            files = files.mapValues { $0.replacingOccurrences(of: "\n", with: "\r\n") }
        case "subfolder":
            files = Dictionary(uniqueKeysWithValues: files.map { ("\(example.folderName)/\($0.key)", $0.value) })
            rootName = "repository"
        default:
            break
        }
        let expected = markers(in: files)
        return (files.mapValues { $0.replacingMarkers() }, expected, rootName, example.configuration)
    }

    static let all: [ExampleCase] = RuleRegistry.descriptions.flatMap { d in
        ["plain", "crlf", "subfolder"].flatMap { variant in
            d.triggeringExamples.enumerated().map { ExampleCase(code: d.code, index: $0, triggering: true, variant: variant, example: $1) }
                + d.nonTriggeringExamples.enumerated().map { ExampleCase(code: d.code, index: $0, triggering: false, variant: variant, example: $1) }
        }
    }
}

@Suite("Rule examples")
struct RuleExampleTests {
    @Test("every rule example gives its findings exactly where marked", arguments: ExampleCase.all)
    func example(_ c: ExampleCase) throws {
        let (files, expected, rootName, config) = c.prepared()
        let result = try InMemoryRepository.lint(files, configuration: config, rootName: rootName)
        let found = result.findings.filter { $0.code == c.code }
        if c.triggering {
            #expect(!expected.isEmpty, "a triggering example needs a ↓ marker")
            let locations = Set(found.map { MLicenseCore.SourceLocation(path: $0.location.path, line: $0.location.line, column: $0.location.column) })
            #expect(locations == Set(expected), "findings: \(found.map { "\($0.location.display) \($0.message)" })")
        } else {
            #expect(found.isEmpty, "unexpected: \(found.map { "\($0.location.display) \($0.message)" })")
        }
    }

    @Test("every rule has two triggering and two non-triggering examples and fixed doc sections")
    func documentation() {
        for d in RuleRegistry.descriptions {
            #expect(d.triggeringExamples.count >= 2, "\(d.code)")
            #expect(d.nonTriggeringExamples.count >= 2, "\(d.code)")
            let doc = d.documentation
            for section in ["## What it checks", "## Why it matters", "## Example", "## Fix"] {
                #expect(doc.contains(section), "\(d.code) lacks \(section)")
            }
            #expect(d.code.hasPrefix("ML") && d.code.count == 5)
            #expect(d.slug == d.slug.lowercased() && !d.slug.contains(" "))
        }
    }

    @Test("codes and slugs are unique and match RULES.md")
    func registry() {
        let ds = RuleRegistry.descriptions
        #expect(Set(ds.map(\.code)).count == ds.count)
        #expect(Set(ds.map(\.slug)).count == ds.count)
        let expected: [String: (String, Severity)] = [
            "ML001": ("card-license-missing", .error), "ML002": ("card-license-invalid", .error),
            "ML003": ("card-license-other-incomplete", .warning), "ML004": ("card-front-matter-invalid", .error),
            "ML101": ("base-model-undeclared", .warning), "ML102": ("relation-mismatch", .warning),
            "ML103": ("base-license-unknown", .warning), "ML104": ("ancestry-invalid", .warning), "ML201": ("no-derivatives", .error),
            "ML202": ("copyleft-not-kept", .error), "ML203": ("noncommercial-dropped", .error),
            "ML204": ("license-not-kept", .error), "ML205": ("use-restrictions-dropped", .error),
            "ML206": ("incompatible-bases", .error), "ML207": ("llama-exclusive-merge", .error),
            "ML208": ("llama-name-prefix", .warning), "ML209": ("notice-missing", .warning),
            "ML210": ("license-copy-missing", .warning), "ML211": ("attribution-missing", .info),
            "ML301": ("non-model-license", .info),
        ]
        for (code, (slug, severity)) in expected {
            let d = RuleRegistry.description(for: code)
            #expect(d?.slug == slug, "\(code)")
            #expect(d?.defaultSeverity == severity, "\(code)")
            #expect(RuleRegistry.code(for: slug) == code)
        }
        for code in ["ML202", "ML203", "ML204", "ML205"] {
            #expect(RuleRegistry.description(for: code)?.lenientAdapterSeverity == .warning)
        }
    }

    @Test("docs/RULES.md is generated from the rule descriptions and up to date")
    func generatedDocs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.appendingPathComponent("docs/RULES.md")
        let generated = "# mlicense rules\n\nGenerated from the rule descriptions (`mlicense explain CODE` prints the same text).\n\n"
            + RuleRegistry.descriptions.map { "---\n\n# " + $0.documentation }.joined(separator: "\n")
        if ProcessInfo.processInfo.environment["MLICENSE_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try generated.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("docs/RULES.md re-recorded; run again without MLICENSE_RECORD")
            return
        }
        let current = try String(contentsOf: url, encoding: .utf8)
        #expect(current == generated, "docs/RULES.md is stale: run `MLICENSE_RECORD=1 swift test --filter generatedDocs`")
    }
}
