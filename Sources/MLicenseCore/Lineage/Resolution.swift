import MLicenseYAML

/// Where a base model's license was found.
public enum LicenseSource: String, Sendable, Hashable, Codable {
    /// `.mlicense.yml` `base-licenses`.
    case config
    /// A model folder in the same repository.
    case repo
    /// The built-in registry.
    case registry
    /// The base's card in the local Hugging Face cache.
    case hfCache = "hf-cache"
    /// Another model of the audited corpus (`mlicense audit`).
    case corpus
    /// Not found.
    case unknown
}

/// A license as a card or a configuration writes it, resolved against the knowledge base.
public struct DeclaredLicense: Sendable, Hashable {
    /// The `license` value as written (nil when absent or not a string).
    public var raw: String?
    /// `license_name`, for `other`.
    public var otherName: String?
    /// The record it names, when known.
    public var record: LicenseRecord?

    /// Whether the value is `other`.
    public var isOther: Bool { raw?.lowercased() == "other" }
    /// Whether the value is missing or `unknown`.
    public var isMissing: Bool { raw == nil || raw?.lowercased() == "unknown" }
    /// Whether it names a license that cannot be identified (`other` without a known name).
    public var isUnidentified: Bool { isOther && record == nil && otherName == nil }

    /// The id used to compare licenses: the record's id, or `other:<name>` for a custom license.
    public var key: String? {
        if let record { return record.id }
        if isOther { return otherName.map { "other:\($0.lowercased())" } }
        return raw.map { "custom:\($0.lowercased())" }
    }

    /// How to show it: `apache-2.0`, `other (qwen)`.
    public var display: String {
        guard let raw else { return "no license" }
        if isOther { return "other (\(otherName ?? "no license_name"))" }
        return raw
    }

    /// Resolves `raw` (and `otherName` for `other`) in `knowledge`.
    public init(raw: String?, otherName: String?, knowledge: LicenseKnowledge) {
        self.raw = raw
        self.otherName = otherName
        guard let raw, raw.lowercased() != "unknown" else { return }
        if raw.lowercased() == "other" {
            record = otherName.flatMap { knowledge.license(named: $0) }
        } else {
            record = knowledge.license(named: raw)
        }
    }
}

/// A base model with its license resolved.
public struct ResolvedBase: Sendable, Hashable {
    /// The base as the lineage names it.
    public var ref: BaseModelRef
    /// The license, when found.
    public var license: DeclaredLicense?
    /// Where it was found.
    public var source: LicenseSource
    /// Where exactly (the config line, the registry's source, the cache file, the repo folder).
    public var sourceDetail: String?
    /// For a registry re-upload: the original model.
    public var reuploadOf: String?
    /// What kind of model the base is, when the registry or `.mlicense.yml` says.
    public var kind: ModelKind? = nil

    /// The id.
    public var id: String { ref.id }
    /// Where the base is named.
    public var location: SourceLocation { ref.location }
    /// The license record, when the license is known and identified.
    public var record: LicenseRecord? { license?.record }
    /// "meta-llama/Llama-3.1-8B (llama3.1)".
    public var display: String { "\(id) (\(license?.display ?? "license unknown"))" }
}

/// Reads a base model's card from somewhere outside the repository (the Hugging Face cache); nil
/// when there is none.
public typealias BaseCardLookup = @Sendable (String) -> (path: String, bytes: [UInt8])?

/// Finds the license of each base model, in order: configuration → a model folder of the same
/// repository → the registry → the local Hugging Face cache → unknown.
public struct LicenseResolver: Sendable {
    let knowledge: LicenseKnowledge
    let configuration: Configuration
    let repoCards: [String: ModelCard]
    let cardLookup: BaseCardLookup?
    /// Model folders by lower-cased path, by lower-cased last two components, and by last name.
    let foldersByPath: [String: String]
    let foldersByTail: [String: String]
    let foldersByName: [String: [String]]
    /// For an audit: the license a model of the corpus declares, by its id; asked first.
    public var corpusLicense: (@Sendable (String) -> DeclaredLicense?)?

    /// Creates a resolver; `repoCards` are the cards of the repository's model folders by path.
    public init(knowledge: LicenseKnowledge, configuration: Configuration, repoCards: [String: ModelCard],
                cardLookup: BaseCardLookup?) {
        self.knowledge = knowledge
        self.configuration = configuration
        self.repoCards = repoCards
        self.cardLookup = cardLookup
        var byPath: [String: String] = [:], byTail: [String: String] = [:], byName: [String: [String]] = [:]
        for folder in repoCards.keys.sorted() {
            let lower = folder.lowercased()
            byPath[lower] = folder
            let (last, tail) = Self.lastComponents(lower)
            if let tail, byTail[tail] == nil { byTail[tail] = folder }
            if let last { byName[last, default: []].append(folder) }
        }
        foldersByPath = byPath
        foldersByTail = byTail
        foldersByName = byName
    }

    /// Resolves `base`, named by the model at `modelPath`.
    public func resolve(_ base: BaseModelRef, from modelPath: String) -> ResolvedBase {
        if let corpusLicense, let l = corpusLicense(base.id) {
            return ResolvedBase(ref: base, license: l, source: .corpus, sourceDetail: base.id)
        }
        if let d = configuration.baseLicenses[base.id.lowercased()] {
            return ResolvedBase(ref: base, license: DeclaredLicense(raw: d.license, otherName: d.licenseName, knowledge: knowledge),
                                source: .config, sourceDetail: d.location.display,
                                kind: d.kind ?? (base.kind == .hub ? knowledge.baseModel(base.id)?.kind : nil))
        }
        if let (folder, card) = repoCard(for: base.id, from: modelPath), let l = Self.license(of: card, knowledge) {
            return ResolvedBase(ref: base, license: l, source: .repo, sourceDetail: folder.isEmpty ? "." : folder)
        }
        if base.kind == .hub, let entry = knowledge.baseModel(base.id) {
            return ResolvedBase(ref: base, license: DeclaredLicense(raw: entry.license, otherName: nil, knowledge: knowledge),
                                source: .registry, sourceDetail: entry.source, reuploadOf: entry.reuploadOf, kind: entry.kind)
        }
        if base.kind == .hub, configuration.hfCache, let found = cardLookup?(base.id) {
            let card = ModelCard(path: found.path, bytes: found.bytes)
            if let l = Self.license(of: card, knowledge) {
                return ResolvedBase(ref: base, license: l, source: .hfCache, sourceDetail: found.path)
            }
        }
        return ResolvedBase(ref: base, license: nil, source: .unknown)
    }

    /// The license a card declares, when it declares one.
    static func license(of card: ModelCard, _ knowledge: LicenseKnowledge) -> DeclaredLicense? {
        guard card.hasValidMetadata, let raw = card.license?.string, raw.lowercased() != "unknown" else { return nil }
        return DeclaredLicense(raw: raw, otherName: card.licenseName?.string, knowledge: knowledge)
    }

    /// A model folder of this repository that `id` names: a relative path inside the repository,
    /// a folder whose path is or ends with the id, or a unique folder with the id's last name.
    func repoCard(for id: String, from modelPath: String) -> (String, ModelCard)? {
        if id.hasPrefix("./") || id.hasPrefix("../") {
            guard let p = Self.join(modelPath, id), let card = repoCards[p] else { return nil }
            return (p, card)
        }
        guard ModelReference.classify(id) == .hub else { return nil }
        let lower = id.lowercased()
        if let folder = foldersByPath[lower] ?? foldersByTail[lower], let card = repoCards[folder] { return (folder, card) }
        let last = Self.lastComponents(lower).last ?? lower
        if let named = foldersByName[last], named.count == 1, named[0] != modelPath, let card = repoCards[named[0]] {
            return (named[0], card)
        }
        return nil
    }

    /// The last non-empty `/`-separated component of `path`, and the last two joined with `/`
    /// (nil when there are fewer): what `split(separator: "/")` gives as `last` and `suffix(2)`.
    static func lastComponents(_ path: String) -> (last: String?, tail: String?) {
        guard path.utf8.allSatisfy({ $0 < 0x80 }) else {
            // Characters decide where a non-ASCII path splits.
            let parts = path.split(separator: "/")
            return (parts.last.map(String.init), parts.count >= 2 ? parts.suffix(2).joined(separator: "/") : nil)
        }
        let ascii: (last: String?, tail: String?)? = path.utf8.withContiguousStorageIfAvailable { bytes in
            var end = bytes.count
            var found: [Range<Int>] = []
            // Walk back over components, skipping empty ones, until two are found.
            while found.count < 2 {
                while end > 0, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
                guard end > 0 else { break }
                var start = end
                while start > 0, bytes[start - 1] != UInt8(ascii: "/") { start -= 1 }
                found.append(start..<end)
                end = start
            }
            func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }
            guard let lastRange = found.first else { return (nil, nil) }
            let last = text(lastRange)
            return (last, found.count == 2 ? text(found[1]) + "/" + last : nil)
        }
        if let ascii { return ascii }
        let parts = path.split(separator: "/")
        return (parts.last.map(String.init), parts.count >= 2 ? parts.suffix(2).joined(separator: "/") : nil)
    }

    /// `base` joined with the relative `path`, or nil when it leaves the repository.
    static func join(_ base: String, _ path: String) -> String? {
        var parts = base.isEmpty ? [] : base.split(separator: "/").map(String.init)
        for seg in path.split(separator: "/") {
            switch seg {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(seg))
            }
        }
        return parts.joined(separator: "/")
    }
}
