/// The broad kind of a license, which decides which rule speaks when a derivative breaks it.
public enum LicenseFamily: String, Sendable, Hashable, CaseIterable, Codable {
    /// Anything goes, keep notices (Apache, MIT, BSD, CC0, MG0, OpenMDW, …).
    case permissive
    /// Anything that keeps attribution (CC BY, MG-BY, ODC-By, …).
    case attribution
    /// ShareAlike / copyleft: derivatives keep the license (CC BY-SA, GPL family, MG-BY-SA, …).
    case copyleft
    /// Non-commercial Creative Commons and similar (CC BY-NC, CC BY-NC-SA).
    case nonCommercial
    /// No derivatives may be shared (CC BY-ND, CC BY-NC-ND, MG-BY-ND, MG-BY-NC-ND).
    case noDerivatives
    /// Responsible AI licenses whose use restrictions must travel (OpenRAIL family, DeepSeek).
    case rail
    /// Meta's Llama community licenses.
    case llama
    /// Google's Gemma terms.
    case gemma
    /// Other vendor model licenses that derivatives must keep (Qwen, Falcon, Stability, NVIDIA, …).
    case vendor
    /// The ModelGo licenses' restricted options (MG-BY-NC, MG-BY-RAI, MG-BY-NC-RAI).
    case modelgo
    /// `unknown` / `other`: no terms known.
    case special
}

/// What a derivative (finetune, quantized copy, merge, adapter) of a base under this license may be
/// published under.
public enum DerivativePolicy: Sendable, Hashable {
    /// Any license (notices kept).
    case any
    /// Only the listed license ids (the base's own license, ShareAlike versions, …).
    case only([String])
    /// Nothing: modified material may not be shared (ND).
    case none
}

/// The terms of a license that decide what a derivative must do.
public struct LicenseTerms: Sendable, Hashable {
    /// Which kind of license this is.
    public var family: LicenseFamily
    /// What a derivative may be licensed under.
    public var derivatives: DerivativePolicy
    /// Whether commercial use is forbidden (NC, research-only).
    public var nonCommercial: Bool
    /// Whether the license carries use restrictions that must travel with derivatives (RAIL, Gemma,
    /// Llama acceptable-use policy, …).
    public var useRestrictions: Bool
    /// The Llama family whose exclusivity clause (1.b.v) forbids improving models outside it:
    /// `llama2` or `llama3`; nil when the license has no such clause.
    public var exclusiveFamily: String?
    /// The family of models the license belongs to for exclusivity checks (`llama2`, `llama3`),
    /// including licenses without the clause (Llama 3.1 is inside the Llama 3 family).
    public var llamaFamily: String?
    /// The text a derivative's name must begin with ("Llama 3", "Llama"), when required.
    public var namePrefix: String?
    /// The NOTICE text derivatives must ship, when required.
    public var notice: String?
    /// The "Built with …" line derivatives must display, when required.
    public var builtWith: String?
    /// Whether recipients must be given a copy of the license.
    public var copyRequired: Bool
    /// Whether the license was written for models (rather than software or content).
    public var writtenForModels: Bool
    /// When the license's definition of a derivative covers an adapter trained on the model (a
    /// LoRA/PEFT delta of its weights): the clause that says so. Nil when the text does not reach
    /// an adapter, which then ships only its own work.
    public var adapterDerivative: String?
    /// When a derivative may go under other terms on conditions that a card cannot show (Artistic
    /// License 2.0 §4): the conditions. The relicensing findings are then warnings.
    public var relicenseConditional: String?

    /// Creates terms.
    public init(
        family: LicenseFamily,
        derivatives: DerivativePolicy,
        nonCommercial: Bool = false,
        useRestrictions: Bool = false,
        exclusiveFamily: String? = nil,
        llamaFamily: String? = nil,
        namePrefix: String? = nil,
        notice: String? = nil,
        builtWith: String? = nil,
        copyRequired: Bool = false,
        writtenForModels: Bool = false,
        adapterDerivative: String? = nil,
        relicenseConditional: String? = nil
    ) {
        self.family = family
        self.derivatives = derivatives
        self.nonCommercial = nonCommercial
        self.useRestrictions = useRestrictions
        self.exclusiveFamily = exclusiveFamily
        self.llamaFamily = llamaFamily
        self.namePrefix = namePrefix
        self.notice = notice
        self.builtWith = builtWith
        self.copyRequired = copyRequired
        self.writtenForModels = writtenForModels
        self.adapterDerivative = adapterDerivative
        self.relicenseConditional = relicenseConditional
    }

    /// The terms this license puts on a derivative beyond attribution and ShareAlike, which
    /// CC 4.0 §2(a)(5)(B) and GPL-3.0 §10 forbid adding to their material: use restrictions, an
    /// exclusivity clause, a naming rule, a non-commercial limit (each as a short phrase).
    /// Empty for licenses that let a derivative go under any terms.
    public var addedRestrictions: [String] {
        guard case .only = derivatives, family != .copyleft, family != .attribution, family != .permissive else { return [] }
        var out: [String] = []
        if useRestrictions { out.append("use restrictions") }
        if exclusiveFamily != nil { out.append("an exclusivity clause") }
        if namePrefix != nil { out.append("a naming rule") }
        if nonCommercial { out.append("a non-commercial limit") }
        if out.isEmpty, family != .nonCommercial { out.append("its own terms for every derivative") }
        return out
    }
}

/// What kind of model a base is, for clauses that speak of one kind (Llama 2/3 §1.b.v: "any other
/// large language model").
public enum ModelKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A large language model (text generation, chat, code).
    case llm
    /// A vision-language model built around an LLM.
    case visionLanguage = "vision-language"
    /// An image or video encoder (CLIP, SigLIP, InternViT, DINO).
    case visionEncoder = "vision-encoder"
    /// A text encoder for embeddings or classification (BERT, DeBERTa, sentence-transformers).
    case embedding
    /// An image or video generator (Stable Diffusion, FLUX).
    case diffusion
    /// Speech recognition or synthesis.
    case audio

    /// Whether the model is a large language model in the Llama licenses' sense.
    public var isLanguageModel: Bool { self == .llm || self == .visionLanguage }
}

/// One license mlicense knows, with where its terms come from.
///
/// The fields are kept in one box (``CopyOnWriteBox``): a record travels inside every declared
/// license, resolved base and ancestor of every model, and copying it then costs one reference
/// count instead of one per string of its terms.
public struct LicenseRecord: Sendable, Hashable, Identifiable {
    private struct Fields: Sendable, Hashable {
        var id: String
        var isHubID: Bool
        var name: String
        var spdx: String?
        var aliases: [String]
        var url: String?
        var terms: LicenseTerms
        var source: String
    }

    private var storage: CopyOnWriteBox<Fields>

    private mutating func unique() -> CopyOnWriteBox<Fields> { .unique(&storage) }

    /// The canonical id: the Hub id (`apache-2.0`, `llama3.1`) or, for licenses the Hub does not
    /// list, the `license_name` used with `license: other` (`qwen`, `mrl`, `mg-by-nc`).
    public var id: String {
        get { storage.fields.id }
        set { unique().fields.id = newValue }
    }
    /// Whether `id` is a Hub license id (else it is written as `license: other` + `license_name`).
    public var isHubID: Bool {
        get { storage.fields.isHubID }
        set { unique().fields.isHubID = newValue }
    }
    /// The full name.
    public var name: String {
        get { storage.fields.name }
        set { unique().fields.name = newValue }
    }
    /// The SPDX id, when there is one.
    public var spdx: String? {
        get { storage.fields.spdx }
        set { unique().fields.spdx = newValue }
    }
    /// Other spellings that mean this license (SPDX ids, `llama-3.1`, `llama-2-community-license`, …),
    /// matched case-insensitively.
    public var aliases: [String] {
        get { storage.fields.aliases }
        set { unique().fields.aliases = newValue }
    }
    /// A URL of the license text.
    public var url: String? {
        get { storage.fields.url }
        set { unique().fields.url = newValue }
    }
    /// The terms.
    public var terms: LicenseTerms {
        get { storage.fields.terms }
        set { unique().fields.terms = newValue }
    }
    /// Where the facts come from (URL or document and section).
    public var source: String {
        get { storage.fields.source }
        set { unique().fields.source = newValue }
    }

    /// Creates a record.
    public init(id: String, isHubID: Bool, name: String, spdx: String? = nil, aliases: [String] = [],
                url: String? = nil, terms: LicenseTerms, source: String) {
        storage = CopyOnWriteBox(Fields(id: id, isHubID: isHubID, name: name, spdx: spdx, aliases: aliases, url: url,
                                        terms: terms, source: source))
    }

    public static func == (a: LicenseRecord, b: LicenseRecord) -> Bool {
        a.storage === b.storage || a.storage.fields == b.storage.fields
    }

    public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }
}

/// Where a base model's registry entry says its license is.
public struct BaseModelEntry: Sendable, Hashable {
    /// The Hub id, `org/name`, as the Hub spells it.
    public var id: String
    /// The license id (a ``LicenseRecord/id``).
    public var license: String
    /// For a re-upload of another model's weights (`unsloth/…`, `NousResearch/Llama-2-…`): the
    /// original's Hub id.
    public var reuploadOf: String?
    /// Where the fact comes from (the model card's URL, a LICENSE file).
    public var source: String
    /// What kind of model it is, when recorded.
    public var kind: ModelKind?

    /// Creates an entry.
    public init(id: String, license: String, reuploadOf: String? = nil, kind: ModelKind? = nil, source: String) {
        self.id = id
        self.license = license
        self.reuploadOf = reuploadOf
        self.kind = kind
        self.source = source
    }
}

/// The licenses mlicense knows and the base models whose licenses it knows.
public struct LicenseKnowledge: Sendable {
    /// The records and their lookup tables, in one box: the knowledge is handed to every model's
    /// rules, and a copy then costs one reference count instead of five.
    private final class Tables: Sendable {
        let licenses: [LicenseRecord]
        let baseModels: [BaseModelEntry]
        let byID: [String: Int]
        let byAlias: [String: Int]
        let modelsByID: [String: Int]

        init(licenses: [LicenseRecord], baseModels: [BaseModelEntry], byID: [String: Int], byAlias: [String: Int],
             modelsByID: [String: Int]) {
            self.licenses = licenses
            self.baseModels = baseModels
            self.byID = byID
            self.byAlias = byAlias
            self.modelsByID = modelsByID
        }
    }

    private let tables: Tables

    /// Every license record, in a stable order.
    public var licenses: [LicenseRecord] { tables.licenses }
    /// Every registry entry, in a stable order.
    public var baseModels: [BaseModelEntry] { tables.baseModels }

    /// Builds the lookup tables. Ids and aliases are matched case-insensitively; model ids too (the
    /// Hub treats `meta-llama/Llama-3.1-8B` and `meta-llama/llama-3.1-8b` as the same repository).
    public init(licenses: [LicenseRecord], baseModels: [BaseModelEntry]) {
        self.init(licenses: licenses, baseModels: baseModels, keys: Keys(licenses: licenses, baseModels: baseModels))
    }

    /// Builds the lookup tables from keys already folded, as ``Keys/init(licenses:baseModels:)``
    /// folds them: the built-in knowledge ships its keys generated, so a hook's start does not fold
    /// some 800 ids and aliases. Where two records share a key the first one wins.
    public init(licenses: [LicenseRecord], baseModels: [BaseModelEntry], keys: Keys) {
        precondition(keys.licenseIDs.count == licenses.count && keys.modelIDs.count == baseModels.count,
                     "the keys belong to other records")
        func table(_ pairs: some Sequence<(String, Int)>) -> [String: Int] {
            Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        }
        tables = Tables(licenses: licenses, baseModels: baseModels, byID: table(zip(keys.licenseIDs, keys.licenseIDs.indices)),
                        byAlias: table(keys.aliases), modelsByID: table(zip(keys.modelIDs, keys.modelIDs.indices)))
    }

    /// The folded lookup keys of a set of records.
    public struct Keys: Sendable, Equatable {
        /// Each license's id, lower-cased, in the records' order.
        public let licenseIDs: [String]
        /// Each alias and SPDX id, normalised (``LicenseKnowledge/normalise(_:)``), with the index of
        /// its record, in the records' order.
        public let aliases: [(String, Int)]
        /// Each registry entry's id, lower-cased, in the entries' order.
        public let modelIDs: [String]

        /// The keys of `licenses` and `baseModels`.
        public init(licenses: [LicenseRecord], baseModels: [BaseModelEntry]) {
            licenseIDs = licenses.map { $0.id.lowercased() }
            aliases = licenses.enumerated().flatMap { i, r in
                (r.aliases + (r.spdx.map { [$0] } ?? [])).map { (LicenseKnowledge.normalise($0), i) }
            }
            modelIDs = baseModels.map { $0.id.lowercased() }
        }

        /// Keys as given (generated source).
        public init(licenseIDs: [String], aliases: [(String, Int)], modelIDs: [String]) {
            self.licenseIDs = licenseIDs
            self.aliases = aliases
            self.modelIDs = modelIDs
        }

        public static func == (a: Keys, b: Keys) -> Bool {
            a.licenseIDs == b.licenseIDs && a.modelIDs == b.modelIDs
                && a.aliases.elementsEqual(b.aliases) { $0.0 == $1.0 && $0.1 == $1.1 }
        }
    }

    /// This knowledge with `extra` licenses (`.mlicense.yml` `licenses:`) added; they take
    /// precedence over built-in records of the same id or alias.
    public func adding(_ extra: [LicenseRecord]) -> LicenseKnowledge {
        guard !extra.isEmpty else { return self }
        let ids = Set(extra.map { $0.id.lowercased() })
        return LicenseKnowledge(licenses: extra + licenses.filter { !ids.contains($0.id.lowercased()) }, baseModels: baseModels)
    }

    /// An empty knowledge base.
    public static let empty = LicenseKnowledge(licenses: [], baseModels: [])

    /// Folds case, spaces and underscores so `Apache 2.0`, `apache_2.0` and `APACHE-2.0` meet.
    public static func normalise(_ s: String) -> String {
        var bytes = Array(s.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            return String(s.lowercased().map { $0 == " " || $0 == "_" ? "-" : $0 }).trimmed(" \t")
        }
        // ASCII: the same folding byte by byte (spaces have become "-", so only tabs are trimmed).
        for i in bytes.indices {
            switch bytes[i] {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes[i] += 0x20
            case UInt8(ascii: " "), UInt8(ascii: "_"): bytes[i] = UInt8(ascii: "-")
            default: break
            }
        }
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x09 { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The record whose canonical id is exactly `id` (case-insensitive), or nil.
    public func license(id: String) -> LicenseRecord? {
        tables.byID[id.lowercasedSharingASCII].map { tables.licenses[$0] }
    }

    /// The record `text` names: a canonical id, else an alias or SPDX id. Nil when unknown.
    public func license(named text: String) -> LicenseRecord? {
        if let r = license(id: text) { return r }
        return tables.byAlias[Self.normalise(text)].map { tables.licenses[$0] }
    }

    /// The registry entry of the model `id` (case-insensitive), or nil.
    public func baseModel(_ id: String) -> BaseModelEntry? {
        baseModel(lowercasedID: id.lowercasedSharingASCII)
    }

    /// ``baseModel(_:)`` of an id already in lower case.
    func baseModel(lowercasedID id: String) -> BaseModelEntry? {
        tables.modelsByID[id].map { tables.baseModels[$0] }
    }
}

extension String {
    /// Without leading and trailing characters of `set`; the string itself when neither end has one.
    func trimmed(_ set: String) -> String {
        // Both end bytes ASCII and not among an ASCII `set`'s: neither end character is in the set
        // (an ASCII character is its own canonical form), and the characters need not be read.
        if let f = utf8.first, let l = utf8.last, f < 0x80, l < 0x80, set.utf8.allSatisfy({ $0 < 0x80 }),
           !set.utf8.contains(f), !set.utf8.contains(l) {
            return self
        }
        guard let first, let last, set.contains(first) || set.contains(last) else { return self }
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
