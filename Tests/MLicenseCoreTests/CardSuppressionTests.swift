@testable import MLicenseCore
import MLicenseKnowledge
import MLicenseTestSupport
import Testing

/// `# mlicense: ignore[…]` comments read by the linter from the cards it has parsed.
@Suite("Card suppressions in the linter")
struct CardSuppressionTests {
    static let files: [String: String] = [
        // Two findings the card accepts (ML208's name prefix and ML209's notice), one it does not.
        "a/README.md": """
            ---
            license: llama3.1
            base_model: meta-llama/Llama-3.1-8B
            base_model_relation: finetune
            # mlicense: ignore[ML208, notice-missing] renamed on the Hub
            ---
            # chat
            # mlicense: ignore[ML204] a comment in the body
            """,
        "b/README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n# mlicense: ignore[ML209]\n---\n",
        "c/README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n",
    ]

    func lint(cardSuppressions: Bool, configuration: Configuration = Configuration(), parallel: Bool = true) -> LintResult {
        var request = LintRequest(snapshot: InMemoryRepository.snapshot(Self.files), configuration: configuration,
                                  knowledge: BuiltinKnowledge.shared, rootName: "mono")
        request.cardSuppressions = cardSuppressions
        return Linter.lint(request, parallel: parallel)
    }

    @Test("off, the comments change nothing; on, the named rules' findings of that model move to suppressed with the reason")
    func onAndOff() throws {
        let off = lint(cardSuppressions: false)
        #expect(off.suppressed.isEmpty)
        let on = lint(cardSuppressions: true)
        #expect(on.findings.count + on.suppressed.count == off.findings.count)
        let accepted = on.suppressed.map { "\($0.finding.model) \($0.finding.code) \($0.reason)" }
        #expect(accepted.contains("a ML208 renamed on the Hub") && accepted.contains("a ML209 renamed on the Hub"), "\(accepted)")
        #expect(accepted.contains("b ML209 no reason given"), "\(accepted)")
        #expect(!on.suppressed.contains { $0.finding.model == "c" || $0.finding.code == "ML204" })
        #expect(on.findings.contains { $0.model == "c" && $0.code == "ML209" }, "c's card has no comment")
        // What is left is the rest of the findings, in report order.
        let rest = off.findings.filter { f in !on.suppressed.contains { $0.finding.model == f.model && $0.finding.code == f.code } }
        #expect(on.findings.map(\.message) == rest.map(\.message))
    }

    @Test("the configuration's suppressions come first, then the cards' in report order, as on one thread")
    func order() throws {
        let config = try Configuration.parse(Array("version: 1\nignore:\n- rule: ML209\n  path: c\n  reason: checked\n".utf8),
                                             path: ".mlicense.yml")
        let on = lint(cardSuppressions: true, configuration: config)
        let codes = on.suppressed.map { "\($0.finding.model) \($0.finding.code)" }
        #expect(codes.first == "c ML209", "\(codes)")
        let cards = Array(on.suppressed.dropFirst())
        let reordered = Finding.sortedForReport(cards.map(\.finding))
        #expect(cards.map(\.finding.message) == reordered.map(\.message))
        let serial = lint(cardSuppressions: true, configuration: config, parallel: false)
        #expect(serial.suppressed.map(\.finding.message) == on.suppressed.map(\.finding.message))
    }

    @Test("a card's entries are those of its bytes")
    func sameAsBytes() {
        for (path, text) in Self.files {
            let card = ModelCard(path: path, bytes: Array(text.utf8))
            #expect(InlineSuppressions.parse(card) == InlineSuppressions.parse(Array(text.utf8)), "\(path)")
        }
    }
}
