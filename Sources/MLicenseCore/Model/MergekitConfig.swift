import MLicenseYAML

/// What a mergekit configuration names: the merge method and every model it reads
/// (mergekit `config.py` `referenced_models()`, `moe/config.py`).
public struct MergekitConfig: Sendable, Hashable {
    /// The file the configuration is in (`mergekit_config.yml`, or README.md for a card's block).
    public var path: String
    /// `merge_method`, or `moe` for a mergekit-moe configuration.
    public var method: Located<String>?
    /// Every referenced model id in document order, duplicates removed; `a+b` (model with LoRA)
    /// gives both `a` and `b`.
    public var models: [Located<String>]

    /// Reads a configuration from `bytes[range]` whose first line is `firstLine`. Returns nil when
    /// the YAML is a mapping without `merge_method`, `models`, `slices` or `experts` (not a mergekit
    /// file), and a problem when it is not valid YAML.
    static func read(path: String, bytes: [UInt8], range: Range<Int>? = nil, firstLine: Int = 1)
        -> Result<MergekitConfig, ModelFileProblem>?
    {
        let doc: YAMLDocument
        do {
            doc = try YAML.parse(bytes, range: range, firstLine: firstLine)
        } catch {
            return .failure(ModelFileProblem(
                location: SourceLocation(path: path, line: error.mark.line, column: error.mark.column),
                message: "the mergekit configuration in \(path) is not valid YAML: \(error.message)"))
        }
        guard let root = doc.root, root.mapping != nil else { return nil }
        let method = root["merge_method"]
        let isMoE = method == nil && root["experts"] != nil
        guard method != nil || isMoE || root["slices"] != nil || root["models"] != nil else { return nil }

        var models: [Located<String>] = []
        var seen = Set<String>()
        func add(_ node: YAMLNode?) {
            guard let node else { return }
            // Dict form: {model: {path, revision}, lora: {path, revision}} or {path: …}.
            if node.mapping != nil {
                for key in ["model", "path", "lora"] { add(node[key]) }
                return
            }
            guard let text = node.scalar?.text, !(node.scalar?.isNull ?? true) else { return }
            for id in ModelReference.splitMergekit(text) where !id.isEmpty {
                if seen.insert(id.lowercased()).inserted {
                    models.append(Located(id, at: SourceLocation(path: path, line: node.span.start.line,
                                                                 column: node.span.start.column)))
                }
            }
        }
        add(root["base_model"])
        for m in root["models"]?.sequence ?? [] { add(m["model"]) }
        for slice in root["slices"]?.sequence ?? [] {
            add(slice["base_model"])
            for s in slice["sources"]?.sequence ?? [] { add(s["model"]) }
        }
        for pair in root["modules"]?.mapping ?? [] {
            for m in pair.value["models"]?.sequence ?? [] { add(m["model"]) }
            for slice in pair.value["slices"]?.sequence ?? [] {
                for s in slice["sources"]?.sequence ?? [] { add(s["model"]) }
            }
        }
        for key in ["experts", "shared_experts"] {
            for e in root[key]?.sequence ?? [] { add(e["source_model"]) }
        }
        let methodValue: Located<String>? = method.flatMap { m in
            m.scalar.map { Located($0.text, at: SourceLocation(path: path, line: m.span.start.line, column: m.span.start.column)) }
        } ?? (isMoE ? Located("moe", at: SourceLocation(path: path, line: root.span.start.line, column: 1)) : nil)
        return .success(MergekitConfig(path: path, method: methodValue, models: models))
    }
}
