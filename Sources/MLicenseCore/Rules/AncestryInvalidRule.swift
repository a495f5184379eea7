/// ML104: the ancestry cannot be followed to its roots: a cycle, a model naming itself, a chain
/// longer than the depth limit, or an unreadable `mlicense.lock`.
public struct AncestryInvalidRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML104", slug: "ancestry-invalid",
        summary: "the chain of base models cannot be followed to its roots",
        defaultSeverity: .warning,
        whatItChecks: """
            Following each base's own bases (from model folders of this repository, `mlicense.lock` and the \
            local Hugging Face cache) returns to a model already on the chain (a cycle), a model names itself \
            as its base, the chain is longer than 32 models, or `mlicense.lock` cannot be read.
            """,
        whyItMatters: """
            The obligations of every ancestor bind a derivative, whatever an intermediate card says (the Llama \
            licenses §1.b.i, Gemma Terms §3.1, CC BY-NC/SA §3, OpenRAIL-M §4 all attach to derivatives of \
            derivatives). Where the chain cannot be followed, mlicense cannot see the licenses above the break; \
            a cycle is a card naming the wrong base_model.
            """,
        fix: "Correct the `base_model` that closes the cycle or names the model itself; regenerate `mlicense.lock` with `mlicense lock`.",
        triggering: [
            .card("---\nlicense: apache-2.0\nbase_model: ↓./\n---\n", comment: "a model naming itself as its base"),
            RuleExample(["README.md": "---\nlicense: apache-2.0\nbase_model: ↓./a\n---\n",
                         "a/README.md": "---\nlicense: apache-2.0\nbase_model: ↓../\n---\n"],
                        comment: "two models naming each other"),
        ],
        nonTriggering: [
            RuleExample(["README.md": "---\nlicense: apache-2.0\nbase_model: ./a\n---\n",
                         "a/README.md": "---\nlicense: apache-2.0\nbase_model: ../b\n---\n",
                         "b/README.md": "---\nlicense: apache-2.0\n---\n"],
                        comment: "a chain of three models of one repository"),
            .card("---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        if let p = c.lockProblem {
            findings += [c.finding(Self.description, at: p.location, "\(LockFile.fileName) cannot be read: \(p.message)",
                                   notes: ["`mlicense lock` writes it again"])].compactMap { $0 }
        }
        for p in c.ancestry.problems {
            let message: String
            switch p.kind {
            case .selfReference:
                message = p.chain.count <= 1
                    ? "base \(p.base.id) is this model itself"
                    : "the ancestry of \(p.base.id) has a model naming itself: \(p.chain.joined(separator: " → "))"
            case .cycle:
                message = "the ancestry of \(p.base.id) is a cycle: \(p.chain.joined(separator: " → "))"
            case .depthLimit:
                message = "the ancestry of \(p.base.id) is longer than \(Ancestry.depthLimit) models; it is not followed further than \(p.chain.last ?? p.base.id)"
            }
            if let f = c.finding(Self.description, at: p.base.location, message,
                                 notes: ["licenses above the break are not checked"], base: p.base.id) {
                findings.append(f)
            }
        }
        return findings
    }
}
