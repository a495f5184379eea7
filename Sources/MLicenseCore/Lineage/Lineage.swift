/// How a model reuses its base models (the Hub's `base_model_relation`).
public enum Relation: String, Sendable, Hashable, Codable, CaseIterable {
    case adapter, merge, quantized, finetune

    /// "a finetune", "a quantized copy", … for messages.
    public var noun: String {
        switch self {
        case .adapter: return "an adapter"
        case .merge: return "a merge"
        case .quantized: return "a quantized copy"
        case .finetune: return "a finetune"
        }
    }

    /// Whether the derivative redistributes (modified) base weights; an adapter ships only its own.
    public var redistributesWeights: Bool { self != .adapter }
}

/// What an adapter is, which decides whether a license's definition of a derivative reaches it.
public enum AdapterKind: String, Sendable, Hashable, Codable {
    /// A PEFT/LoRA-style delta of the base's own weights (adapter_config.json, adapter weights,
    /// a GGUF LoRA, `library_name: peft`, tagged `lora`): a modification of the base.
    case weightDelta = "weight-delta"
    /// A separate network trained from scratch against a frozen base that conditions it
    /// (T2I-Adapter): it holds none of the base's weights. (A ControlNet starts from a copy of the
    /// base's encoder and is a weight delta in this sense.)
    case conditioningNetwork = "conditioning-network"
}

/// A base model of a derivative, with the places that name it.
public struct BaseModelRef: Sendable, Hashable {
    /// The id as written (a Hub id, or a local path).
    public var id: String
    /// Whether it is a Hub id or a local path.
    public var kind: ModelReferenceKind
    /// Where it is named, strongest first.
    public var evidence: [Evidence]

    /// Where the base is named first.
    public var location: SourceLocation { evidence.first?.location ?? SourceLocation(path: "") }
}

/// Where the relation comes from.
public enum RelationSource: String, Sendable, Hashable, Codable {
    /// `base_model_relation` in the card.
    case declared
    /// Inferred from the files.
    case inferred
    /// Set in `.mlicense.yml`.
    case config
}

/// A disagreement between the card and the files (ML102).
public struct LineageConflict: Sendable, Hashable {
    /// What disagrees, lower case.
    public var message: String
    /// Where (the card field, or the file).
    public var location: SourceLocation
}

/// A model's lineage: its relation to its base models and the bases, each with evidence.
public struct Lineage: Sendable {
    /// The relation; nil for an original model (no base).
    public var relation: Relation?
    /// Where the relation comes from.
    public var relationSource: RelationSource
    /// What shows the relation.
    public var relationEvidence: [Evidence]
    /// The base models that count: the card's `base_model` when given, else the files'.
    public var bases: [BaseModelRef]
    /// Bases that the files (adapter config, mergekit, GGUF) name while the card names none (ML101).
    public var undeclaredBases: [BaseModelRef]
    /// Where the card and the files disagree (ML102).
    public var conflicts: [LineageConflict]
    /// Models the card's body names (links, "fine-tuned from …") when nothing else names a base:
    /// weak evidence, reported by ML101 but not used as bases.
    public var bodyHints: [BaseModelRef] = []
    /// For an adapter: what kind, when the files show it.
    public var adapterKind: AdapterKind? = nil
    /// For an adapter: what shows its kind, for messages.
    public var adapterEvidence: String? = nil

    /// Whether the model has bases (a derivative).
    public var isDerivative: Bool { relation != nil }
}

/// An override of a model's lineage from `.mlicense.yml`.
public struct LineageOverride: Sendable, Hashable {
    /// The relation to use.
    public var relation: Relation?
    /// The bases to use.
    public var baseModels: [String]

    /// Creates an override.
    public init(relation: Relation? = nil, baseModels: [String] = []) {
        self.relation = relation
        self.baseModels = baseModels
    }
}

/// Infers relation and bases from a model's files (RULES.md §1), strongest evidence first.
public enum LineageInference {
    /// Repository names that mark quantized copies.
    static let quantizedNameSuffixes = ["-gguf", "-ggml", "-gptq", "-awq", "-exl2", "-exl3", "-bnb-4bit", "-bnb-8bit",
                                        "-4bit", "-8bit", "-fp8", "-mlx", "-int4", "-int8"]

    /// diffusers classes of separate conditioning networks trained from scratch against a frozen
    /// base (config.json `_class_name`): T2I-Adapter (Mou et al. 2023, "lightweight adapters ... the
    /// original large T2I model frozen"). They hold none of the base's weights.
    static let conditioningClasses: Set<String> = ["T2IAdapter", "MultiAdapter"]

    /// diffusers classes of networks that start from a trainable copy of the base's encoder
    /// (ControlNet, Zhang et al. 2023): they hold modified base weights, like a finetune of part of it.
    static let copiedEncoderClasses: Set<String> = ["ControlNetModel", "FluxControlNetModel", "SD3ControlNetModel",
                                                     "ControlNetUnionModel", "SparseControlNetModel", "HunyuanDiT2DControlNetModel"]

    /// The first of ``quantizedNameSuffixes`` that `lowerName` ends with (`hasSuffix` compares
    /// characters, 14 times per model at some 500 instructions each; the suffixes are ASCII).
    static func quantizedNameSuffix(of lowerName: String) -> String? {
        quantizedNameSuffixBytes.firstIndex { lowerName.hasASCIISuffix($0, foldingCase: false) }.map { quantizedNameSuffixes[$0] }
    }

    static let quantizedNameSuffixBytes = quantizedNameSuffixes.map { Array($0.utf8) }

    /// Name parts that mark quantized copies wherever they stand (`Phi-3-mini-GGUF-imatrix`).
    static let quantizedNameTokens = ["gguf", "ggml", "gptq", "awq", "exl2", "exl3", "imatrix"]
    private static let quantizedNameTokenBytes = quantizedNameTokens.map { Array($0.utf8) }

    /// The files that hold a PEFT adapter's weights.
    static let adapterWeightNames = ["adapter_model.safetensors", "adapter_model.bin", "adapters.safetensors"].map { Array($0.utf8) }

    /// The first of ``quantizedNameTokens`` that is a part of `lowerName` between `-`, `_` and `.`.
    static func quantizedNameToken(in lowerName: String) -> String? {
        // ASCII: the parts are looked at in place, over the name's bytes (by `utf8` index, 1,400
        // instructions a name); the earliest token in the list wins. A token of another length
        // than the part is no match: the lengths tell without comparing.
        let best = lowerName.withContiguousUTF8 { b -> Int?? in
            func isSeparator(_ c: UInt8) -> Bool { c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") }
            var best: Int?
            var start = 0
            var i = 0
            while true {
                if i < b.count, b[i] >= 0x80 { return nil }
                if i == b.count || isSeparator(b[i]) {
                    let length = i - start
                    if length > 0 {
                        for k in quantizedNameTokenBytes.indices where k < (best ?? .max) && quantizedNameTokenBytes[k].count == length {
                            let t = quantizedNameTokenBytes[k]
                            var j = 0
                            while j < length, b[start + j] == t[j] { j += 1 }
                            if j == length { best = k }
                        }
                    }
                    if i == b.count { break }
                    start = i + 1
                }
                i += 1
            }
            return .some(best)
        }
        guard let best else {
            // Characters decide where a non-ASCII name splits.
            let tokens = lowerName.split { $0 == "-" || $0 == "_" || $0 == "." }
            return quantizedNameTokens.first { t in tokens.contains { $0 == t } }
        }
        return best.map { quantizedNameTokens[$0] }
    }

    /// What the card's body says about the bases when neither the card nor the files name one.
    /// Strong: the body names exactly one model as what this one is a quantization of ("GGUF quants
    /// of X") and the repository shows a quantization (GGUF files, a quantizer's config, a
    /// quantized name or tag): that model is the base. Other phrases are hints; a bare link is a
    /// hint only where the repository shows a derivative's signs.
    static func bodyEvidence(_ card: ModelCard, model: ModelRepo, name: String) -> (bases: [BaseModelRef], hints: [BaseModelRef]) {
        let lowerName = name.lowercasedSharingASCII
        let tags = card.hasValidMetadata ? card.tags : []
        let showsQuantization = model.files.contains { $0.isGGUF } || model.config?.quantMethod != nil
            || model.file(named: "quantize_config.json") != nil
            || quantizedNameSuffix(of: lowerName) != nil || quantizedNameToken(in: lowerName) != nil
            || tags.contains { ["gguf", "gptq", "awq", "exl2", "ggml", "mlx"].contains($0) }
        // A bare link is a hint only in a repository that shows it derives from something (a
        // quantization, adapter or merge sign): original models link to others all the time.
        let showsDerivative = showsQuantization || model.adapter != nil
            || tags.contains { ["lora", "peft", "qlora", "merge", "mergekit", "lazymergekit", "finetuned", "fine-tuned"].contains($0) }
            || (card.hasValidMetadata ? card.string("library_name")?.value.lowercased() == "peft" : false)
        // Without a derivative's sign only a lineage phrase can name a base: look for one first
        // (a byte search), so an original model's card is not read line by line.
        if !showsDerivative, !card.bodyHasLineagePhrase { return ([], []) }
        let mentions = card.bodyModelMentions.filter { m in
            // A link to the model's own page is not a base.
            (m.id.split(separator: "/").last.map { $0.lowercased() != lowerName } ?? true)
        }
        guard !mentions.isEmpty else { return ([], []) }
        func ref(_ m: BodyModelMention, _ strength: String) -> BaseModelRef {
            let why = m.phrase.map { "the card's body says \"\($0)\" it (\(strength))" } ?? "the card's body links to it (\(strength))"
            return BaseModelRef(id: m.id, kind: .hub, evidence: [Evidence(why, at: m.location)])
        }
        let quantizedOf = Set(mentions.filter { $0.kind == .quantizedFrom }.map { $0.id.lowercased() })
        if quantizedOf.count == 1, showsQuantization, let m = mentions.first(where: { $0.kind == .quantizedFrom }) {
            return ([ref(m, "and the repository is a quantization: strong evidence")], [])
        }
        var hints: [BaseModelRef] = []
        for m in mentions.sorted(by: { ($0.kind == .link ? 1 : 0) < ($1.kind == .link ? 1 : 0) })
        where (m.kind != .link || showsDerivative) && !hints.contains(where: { $0.id.lowercased() == m.id.lowercased() }) && hints.count < 3 {
            hints.append(ref(m, "a weak hint"))
        }
        return ([], hints)
    }

    /// The lineage of `model`, named `name` (for name-based evidence), with an optional override.
    public static func infer(_ model: ModelRepo, name: String, override: LineageOverride? = nil) -> Lineage {
        let card = model.card
        let cardPath = card?.path ?? model.filePath("README.md")

        // Bases, by source.
        var fileBases: [BaseModelRef] = []
        func addFileBase(_ written: String, _ why: String, _ at: SourceLocation) {
            let id = ModelReference.id(written)
            let e = Evidence(written == id ? why : "\(why) (as the URL \(written))", at: at)
            if let i = fileBases.firstIndex(where: { $0.id.lowercased() == id.lowercased() }) {
                fileBases[i].evidence.append(e)
            } else {
                fileBases.append(BaseModelRef(id: id, kind: ModelReference.classify(id), evidence: [e]))
            }
        }
        if let a = model.adapter?.baseModel {
            addFileBase(a.value, "adapter_config.json names it as base_model_name_or_path", a.location)
        }
        for m in model.mergekit {
            for ref in m.models { addFileBase(ref.value, "the mergekit configuration merges it", ref.location) }
        }
        let lowerName = name.lowercasedSharingASCII
        for g in model.ggufs {
            for b in g.baseModels { addFileBase(b.value, "the GGUF header names it in general.base_model", b.location) }
            // Converted from another repository (not this one): that repository is what it quantizes.
            if g.baseModels.isEmpty, let s = g.sourceModel,
               s.value.split(separator: "/").last.map({ $0.lowercased() != lowerName }) ?? false {
                addFileBase(s.value, "the GGUF header says it was converted from it (general.source.repo_url)", s.location)
            }
        }

        let cardBases: [BaseModelRef] = (card?.hasValidMetadata ?? false ? card!.baseModels : []).reduce(into: []) { acc, b in
            let id = ModelReference.id(b.value)
            if !acc.contains(where: { $0.id.lowercased() == id.lowercased() }) {
                let why = id == b.value ? "the card's base_model names it" : "the card's base_model names it as the URL \(b.value)"
                acc.append(BaseModelRef(id: id, kind: ModelReference.classify(id), evidence: [Evidence(why, at: b.location)]))
            }
        }

        var bases: [BaseModelRef]
        var undeclared: [BaseModelRef] = []
        var bodyHints: [BaseModelRef] = []
        var conflicts: [LineageConflict] = []
        if let o = override, !o.baseModels.isEmpty {
            bases = o.baseModels.map {
                BaseModelRef(id: $0, kind: ModelReference.classify($0),
                             evidence: [Evidence("named in .mlicense.yml lineage", at: SourceLocation(path: ".mlicense.yml"))])
            }
        } else if !cardBases.isEmpty {
            bases = cardBases
            // Built only when the files name bases: most models' files name none.
            let cardIDs = fileBases.isEmpty ? [] : Set(cardBases.map { $0.id.lowercased() })
            for b in fileBases where !cardIDs.contains(b.id.lowercased()) && b.kind == .hub {
                conflicts.append(LineageConflict(
                    message: "`\(b.id)` is a base by the files (\(b.evidence[0].description)) but the card's base_model does not list it",
                    location: b.location))
            }
        } else if !fileBases.isEmpty {
            bases = fileBases
            undeclared = fileBases.filter { $0.kind == .hub }
        } else {
            bases = []
            // Weak hints, used only when nothing stronger names a base.
            if let link = card?.string("model_link"), let id = ModelReference.hubID(fromURL: link.value) {
                bases = [BaseModelRef(id: id, kind: .hub, evidence: [Evidence("the card's model_link points at it", at: link.location)])]
            } else if let p = model.config?.nameOrPath, ModelReference.classify(p.value) == .hub, p.value.contains("/"),
                      // The model's own id (a re-saved model) is no base.
                      p.value.split(separator: "/").last.map({ $0.lowercased() != lowerName }) ?? false {
                bases = [BaseModelRef(id: p.value, kind: .hub, evidence: [Evidence("config.json _name_or_path names it (a weak hint)", at: p.location)])]
            } else if let card {
                (bases, bodyHints) = bodyEvidence(card, model: model, name: name)
                undeclared = bases
            }
        }

        // Relation evidence, strong then weak.
        var strong: [(Relation, Evidence)] = []
        var weak: [(Relation, Evidence)] = []
        // A separate conditioning network trained from scratch (T2I-Adapter): an adapter that holds none of
        // the base's weights.
        var conditioning: [Evidence] = []
        if let a = model.adapter {
            strong.append((.adapter, Evidence("adapter_config.json describes a PEFT adapter", at: a.peftType?.location ?? SourceLocation(path: a.path))))
        }
        for f in model.files where Self.adapterWeightNames.contains(where: { f.path.hasLastPathComponent($0) }) {
            strong.append((.adapter, Evidence("\(f.name) holds adapter weights", at: SourceLocation(path: f.path))))
        }
        for g in model.ggufs where g.isAdapter {
            strong.append((.adapter, Evidence("the GGUF header says it is an adapter", at: SourceLocation(path: g.path))))
        }
        for m in model.mergekit {
            strong.append((.merge, Evidence("a mergekit configuration (\(m.method?.value ?? "merge"))", at: m.method?.location ?? SourceLocation(path: m.path))))
        }
        if cardBases.count >= 2 {
            strong.append((.merge, Evidence("the card lists \(cardBases.count) base models", at: cardBases[0].location)))
        }
        for f in model.files where f.isGGUF {
            strong.append((.quantized, Evidence("\(f.name) is a GGUF file", at: SourceLocation(path: f.path))))
            break
        }
        if let q = model.config?.quantMethod {
            strong.append((.quantized, Evidence("config.json quantization_config says \(q.value)", at: q.location)))
        }
        for n in ["measurement.json", "quantize_config.json"] {
            if let f = model.file(named: n) { strong.append((.quantized, Evidence("\(n) is written by a quantizer", at: SourceLocation(path: f.path)))) }
        }
        let tags = card?.hasValidMetadata == true ? card!.tags : []
        // Looked up for a tag that says something (most models' tags say nothing of the relation).
        var tagLocation: SourceLocation { card?.field("tags")?.location ?? SourceLocation(path: cardPath) }
        for t in tags {
            switch t {
            case "lora", "peft", "qlora", "lycoris", "dora": weak.append((.adapter, Evidence("the card is tagged `\(t)`", at: tagLocation)))
            case "t2i-adapter", "ip-adapter":
                // Added networks that condition a frozen base: the T2I-Adapter is trained from scratch,
                // the IP-Adapter adds image cross-attention layers; neither is a modified copy of it.
                conditioning.append(Evidence("the card is tagged `\(t)`", at: tagLocation))
            case "controlnet", "controlnet-union":
                // A ControlNet starts from a trainable copy of the base's encoder: modified base weights.
                weak.append((.adapter, Evidence("the card is tagged `\(t)`, a network initialised from a copy of the base's encoder", at: tagLocation)))
            case "merge", "mergekit", "lazymergekit":
                // A merge combines two or more models. With one base and no mergekit configuration the
                // tag came with the parent's card (a finetune of a merge keeps its parent's tags).
                if bases.count != 1 || !model.mergekit.isEmpty {
                    weak.append((.merge, Evidence("the card is tagged `\(t)`", at: tagLocation)))
                }
            case "gguf", "gptq", "awq", "exl2", "ggml", "4-bit", "8-bit", "bitsandbytes":
                weak.append((.quantized, Evidence("the card is tagged `\(t)`", at: tagLocation)))
            default: break
            }
        }
        if let lib = card?.hasValidMetadata == true ? card?.string("library_name") : nil, lib.value.lowercased() == "peft" {
            weak.append((.adapter, Evidence("the card's library_name is peft", at: lib.location)))
        }
        if let c = model.config?.className {
            if Self.conditioningClasses.contains(c.value) {
                conditioning.insert(Evidence("config.json _class_name is \(c.value)", at: c.location), at: 0)
            } else if Self.copiedEncoderClasses.contains(c.value) {
                strong.append((.adapter, Evidence("config.json _class_name is \(c.value), a network initialised from a copy of the base's encoder", at: c.location)))
            }
        }
        if let q = card?.hasValidMetadata == true ? card?.field("quantized_by") : nil {
            weak.append((.quantized, Evidence("the card names who quantized it (quantized_by)", at: q.location)))
        }
        if let suffix = quantizedNameSuffix(of: lowerName) {
            weak.append((.quantized, Evidence("the name ends with `\(suffix)`", at: SourceLocation(path: cardPath))))
        } else if let token = quantizedNameToken(in: lowerName) {
            weak.append((.quantized, Evidence("the name contains `\(token)`", at: SourceLocation(path: cardPath))))
        }

        let order: [Relation] = [.adapter, .merge, .quantized]
        func pick(_ list: [(Relation, Evidence)]) -> (Relation, [Evidence])? {
            for r in order {
                let ev = list.filter { $0.0 == r }.map(\.1)
                if !ev.isEmpty { return (r, ev) }
            }
            return nil
        }
        var inferred: (Relation, [Evidence])? = pick(strong) ?? pick(weak)
        // A conditioning network is an adapter unless PEFT files or a merge or quantizer say more.
        let weightDelta = strong.contains { $0.0 == .adapter } || weak.contains { $0.0 == .adapter }
        if !conditioning.isEmpty, !weightDelta, pick(strong) == nil {
            inferred = (.adapter, conditioning)
        }
        if inferred == nil, !bases.isEmpty {
            inferred = (.finetune, [Evidence("one base model and none of the adapter, merge or quantization signs", at: bases[0].location)])
        }

        // The declared relation wins; a contradiction is reported.
        var relation = inferred?.0
        var source = RelationSource.inferred
        var evidence = inferred?.1 ?? []
        if let o = override?.relation {
            relation = o
            source = .config
            evidence = [Evidence("set in .mlicense.yml lineage", at: SourceLocation(path: ".mlicense.yml"))]
        } else if let field = card?.hasValidMetadata == true ? card?.baseModelRelation : nil {
            if let text = field.string, let declared = Relation(rawValue: text) {
                if let (r, ev) = pick(strong), r != declared {
                    conflicts.append(LineageConflict(
                        message: "base_model_relation is `\(declared.rawValue)` but \(ev[0].description) (\(ev[0].location.display)), which makes it `\(r.rawValue)`",
                        location: field.location))
                }
                relation = declared
                source = .declared
                evidence = [Evidence("the card's base_model_relation", at: field.location)]
            } else {
                conflicts.append(LineageConflict(
                    message: "base_model_relation is `\(field.value.scalar?.text ?? field.value.kindDescription)`, not one of adapter, merge, quantized, finetune",
                    location: field.location))
            }
        }
        if bases.isEmpty, source != .config {
            // Without a base, a relation has nothing to relate to: an original model.
            var original = Lineage(relation: nil, relationSource: source, relationEvidence: evidence, bases: [],
                                   undeclaredBases: [], conflicts: conflicts)
            original.bodyHints = bodyHints
            return original
        }
        var lineage = Lineage(relation: relation, relationSource: source, relationEvidence: evidence, bases: bases,
                              undeclaredBases: undeclared, conflicts: conflicts)
        lineage.bodyHints = bodyHints
        if relation == .adapter {
            if weightDelta {
                lineage.adapterKind = .weightDelta
                lineage.adapterEvidence = (strong + weak).first { $0.0 == .adapter }?.1.description
            } else if let c = conditioning.first {
                lineage.adapterKind = .conditioningNetwork
                lineage.adapterEvidence = c.description
            }
        }
        return lineage
    }
}

