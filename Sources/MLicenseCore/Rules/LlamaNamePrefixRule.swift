/// ML208: a Llama 3+ derivative whose name does not begin with "Llama 3" / "Llama".
public struct LlamaNamePrefixRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML208", slug: "llama-name-prefix",
        summary: "a Llama 3 derivative's name does not begin with \"Llama 3\" (\"Llama\" for 3.1+)",
        defaultSeverity: .warning,
        relations: [.finetune, .merge, .adapter],
        whatItChecks: """
            A finetune, merge or adapter of a base under `llama3` whose name does not begin with "Llama 3", or of \
            a base under `llama3.1`, `llama3.2`, `llama3.3` or `llama4` whose name does not begin with "Llama". \
            The name is `model_name` or `model-index[0].name` in the card, else the folder's name, else the first \
            heading; `overrides: {path: {name: …}}` in .mlicense.yml sets it. `Llama-3`, `Llama_3` and `Llama3` \
            count as "Llama 3". A quantized copy is redistribution, not a new model, and is not checked.
            """,
        whyItMatters: """
            Llama 3 license §1.b.i: a model created, trained, fine tuned or otherwise improved with the Llama \
            Materials and distributed must "include 'Llama 3' at the beginning of any such AI model name"; \
            Llama 3.1+: "include 'Llama' at the beginning". https://github.com/meta-llama/llama-models
            """,
        fix: "Rename the model to begin with the required prefix (shown; renaming a Hub repository is a person's call).",
        triggering: [
            .card("---\nlicense: llama3.2\nbase_model: meta-llama/Llama-3.2-3B-Instruct\nmodel_name: ↓Llasa-3B\n---\n"),
            .card("---\nlicense: llama3\nbase_model: meta-llama/Meta-Llama-3-8B-Instruct\nmodel_name: ↓Llama-2-style-chat\n---\n"),
            .card("↓---\nlicense: llama3.3\nbase_model: meta-llama/Llama-3.3-70B-Instruct\n---\n", folderName: "watt-tool-70B"),
        ],
        nonTriggering: [
            .card("---\nlicense: llama3\nbase_model: meta-llama/Meta-Llama-3-8B-Instruct\n---\n", folderName: "Llama-3-8B-chat"),
            .card("---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\nmodel_name: Llama-DNA-1.0-8B\n---\n"),
            .card("---\nlicense: llama3.1\nbase_model: meta-llama/Meta-Llama-3.1-8B-Instruct\nbase_model_relation: quantized\n---\n",
                  folderName: "Meta-Llama-3.1-8B-Instruct-GGUF", comment: "a quantized copy keeps Meta's name"),
        ])

    /// Whether `name` begins with `prefix`, where a space in the prefix may be written as `-`, `_` or nothing.
    static func hasPrefix(_ name: String, _ prefix: String) -> Bool {
        asciiHasPrefix(name, prefix) ?? characterHasPrefix(name, prefix)
    }

    /// ``hasPrefix(_:_:)`` on characters, for any text.
    static func characterHasPrefix(_ name: String, _ prefix: String) -> Bool {
        let fold = { (s: String) in s.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" } }
        return fold(name).hasPrefix(fold(prefix)) && name.lowercased().hasPrefix(prefix.lowercased().split(separator: " ")[0])
    }

    /// ``hasPrefix(_:_:)`` on the bytes, when both are ASCII and the prefix has no line break and
    /// a word: then characters are bytes (a `\r\n` in the name is matched by no byte of the
    /// prefix), lower-casing is ASCII's, and `String.hasPrefix` compares bytes. Nil otherwise.
    static func asciiHasPrefix(_ name: String, _ prefix: String) -> Bool? {
        func lower(_ b: UInt8) -> UInt8 { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 32 : b }
        func folded(_ s: String) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(s.utf8.count)
            for b in s.utf8 where b != UInt8(ascii: " ") && b != UInt8(ascii: "-") && b != UInt8(ascii: "_") { out.append(lower(b)) }
            return out
        }
        guard name.utf8.allSatisfy({ $0 < 0x80 }),
              prefix.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0A && $0 != 0x0D }) else { return nil }
        // The first word of the prefix (`split(separator: " ")[0]`): there must be one.
        let word = prefix.utf8.drop { $0 == UInt8(ascii: " ") }.prefix { $0 != UInt8(ascii: " ") }
        guard !word.isEmpty else { return nil }
        let n = folded(name), p = folded(prefix)
        guard n.count >= p.count, n[..<p.count].elementsEqual(p) else { return false }
        return name.utf8.count >= word.count && zip(name.utf8, word).allSatisfy { lower($0) == lower($1) }
    }

    public func check(_ c: RuleContext) -> [Finding] {
        let prefixes = c.bases.compactMap { b in b.record?.terms.namePrefix.map { (b, $0) } }
        guard let (base, prefix) = prefixes.max(by: { $0.1.count < $1.1.count }) else { return [] }
        guard !Self.hasPrefix(c.name.value, prefix) else { return [] }
        let fold = Self.hasPrefix(c.name.value, "Llama") ? String(c.name.value.drop { $0 != "-" && $0 != " " && $0 != "_" }.dropFirst()) : c.name.value
        let suggestion = prefix.replacingSpaces() + "-" + fold
        return [c.finding(Self.description, at: c.name.location,
                          "the model's name `\(c.name.value)` does not begin with \"\(prefix)\"; \(Clauses.base(base)), whose §1.b.i requires it",
                          base: base.id, fix: Fix(.displayOnly, "rename the model, e.g. `\(suggestion)`"))].compactMap { $0 }
    }
}

extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "-" : $0 }) }
}
