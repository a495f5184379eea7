/// ML006: a config, adapter config, mergekit configuration or GGUF header cannot be read.
public struct ModelFileInvalidRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML006", slug: "model-file-invalid",
        summary: "a model file mlicense reads for lineage is malformed",
        defaultSeverity: .warning,
        whatItChecks: """
            config.json or adapter_config.json is not a JSON object, a mergekit configuration is not valid YAML, \
            or a GGUF file's header is malformed.
            """,
        whyItMatters: """
            These files tell which models a derivative is built on (RULES.md §1). When one cannot be read the \
            lineage may be incomplete, and the tools that load the model will fail on it too.
            """,
        fix: "Repair the file at the place given.",
        triggering: [
            RuleExample(["README.md": "---\nlicense: mit\n---\n", "adapter_config.json": "↓{\"peft_type\": \"LORA\",\n"]),
            RuleExample(["README.md": "---\nlicense: mit\n---\n", "config.json": "↓[1, 2]\n"]),
        ],
        nonTriggering: [
            RuleExample(["README.md": "---\nlicense: mit\n---\n", "config.json": "{\"model_type\": \"llama\"}\n"]),
            RuleExample(["README.md": "---\nlicense: mit\n---\n"]),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        c.model.problems.compactMap { p in
            c.finding(Self.description, at: SourceLocation(path: p.location.path, line: p.location.line ?? 1, column: p.location.column ?? 1), p.message)
        }
    }
}
