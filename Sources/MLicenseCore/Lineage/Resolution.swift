import MLicenseYAML

/// Where a base model's license was found.
public enum LicenseSource: String, Sendable, Hashable, Codable {
    /// `.mlicense.yml` `base-licenses`.
    case config
    /// A model folder in the same repository.
    case repo
    /// `mlicense.lock` at the repository root (what `mlicense lock` read from the Hub).
    case lock
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
    public var isOther: Bool { raw?.lowercasedSharingASCII == "other" }
    /// Whether the value is missing or `unknown`.
    public var isMissing: Bool { raw == nil || raw?.lowercasedSharingASCII == "unknown" }
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
        guard let raw else { return }
        let lower = raw.lowercasedSharingASCII
        guard lower != "unknown" else { return }
        if lower == "other" {
            record = otherName.flatMap { knowledge.license(named: $0) }
        } else {
            record = knowledge.license(named: raw)
        }
    }
}

/// A base model with its license resolved.
///
/// The fields are kept in one box (``CopyOnWriteBox``): resolved bases are handed from the
/// resolver to the ancestry, the rules and the report, several times for each model.
public struct ResolvedBase: Sendable, Hashable {
    private struct Fields: Sendable, Hashable {
        var ref: BaseModelRef
        var license: DeclaredLicense?
        var source: LicenseSource
        var sourceDetail: String?
        var reuploadOf: String?
        var revision: String?
        var via: AncestorPath?
        var kind: ModelKind?
    }

    private var storage: CopyOnWriteBox<Fields>

    private mutating func unique() -> CopyOnWriteBox<Fields> { .unique(&storage) }

    /// The base as the lineage names it.
    public var ref: BaseModelRef {
        get { storage.fields.ref }
        set { unique().fields.ref = newValue }
    }
    /// The license, when found.
    public var license: DeclaredLicense? {
        get { storage.fields.license }
        set { unique().fields.license = newValue }
    }
    /// Where it was found.
    public var source: LicenseSource {
        get { storage.fields.source }
        set { unique().fields.source = newValue }
    }
    /// Where exactly (the config line, the registry's source, the cache file, the repo folder).
    public var sourceDetail: String? {
        get { storage.fields.sourceDetail }
        set { unique().fields.sourceDetail = newValue }
    }
    /// For a registry re-upload: the original model.
    public var reuploadOf: String? {
        get { storage.fields.reuploadOf }
        set { unique().fields.reuploadOf = newValue }
    }
    /// The commit sha the license was read at (the lock's or the cache snapshot's), when known.
    public var revision: String? {
        get { storage.fields.revision }
        set { unique().fields.revision = newValue }
    }
    /// For an ancestor further up than a direct base: the chain from it down to this model, and
    /// the intermediate that dropped its terms. Nil for a direct base.
    public var via: AncestorPath? {
        get { storage.fields.via }
        set { unique().fields.via = newValue }
    }
    /// What kind of model the base is, when the registry or `.mlicense.yml` says.
    public var kind: ModelKind? {
        get { storage.fields.kind }
        set { unique().fields.kind = newValue }
    }

    /// Creates a resolved base.
    public init(ref: BaseModelRef, license: DeclaredLicense?, source: LicenseSource, sourceDetail: String? = nil,
                reuploadOf: String? = nil, revision: String? = nil, via: AncestorPath? = nil, kind: ModelKind? = nil) {
        storage = CopyOnWriteBox(Fields(ref: ref, license: license, source: source, sourceDetail: sourceDetail,
                                        reuploadOf: reuploadOf, revision: revision, via: via, kind: kind))
    }

    public static func == (a: ResolvedBase, b: ResolvedBase) -> Bool {
        a.storage === b.storage || a.storage.fields == b.storage.fields
    }

    public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }

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

/// A model read outside the repository (a snapshot of the local Hugging Face cache): its small
/// files by name, so that its license and its own bases are read as a repository's are.
public struct ExternalModel: Sendable {
    /// The Hub id.
    public var id: String
    /// The commit sha of the snapshot, when known.
    public var revision: String?
    /// Where it was read (the snapshot folder), for messages.
    public var location: String
    /// README.md, adapter_config.json, config.json, mergekit configurations: name → bytes.
    public var files: [String: [UInt8]]
    /// Files the source records as absent at that revision (the cache's `.no_exist` markers).
    public var absent: [String]

    /// Creates a record.
    public init(id: String, revision: String?, location: String, files: [String: [UInt8]], absent: [String] = []) {
        self.id = id
        self.revision = revision
        self.location = location
        self.files = files
        self.absent = absent
    }

    /// The card's path as shown in findings.
    public var cardPath: String { location + "/README.md" }
}

/// Reads a model from outside the repository by Hub id; nil when the source does not have it.
public typealias ExternalModelLookup = @Sendable (String) -> ExternalModel?

/// What the resolution order says about one model: its license (as a ``ResolvedBase``), and,
/// where the source knows them, its relation and its own bases (the next step up the ancestry).
public struct ResolvedModel: Sendable {
    /// The license and where it was found.
    public var base: ResolvedBase
    /// The ancestry graph's key: `repo:<folder>` for a model folder, else the lower-cased id.
    public var key: String
    /// The model folder, when the model is one of this repository.
    public var repoFolder: String?
    /// Its relation to its own bases, when the source says.
    public var relation: Relation?
    /// Its own bases, for sources outside the repository (a repository folder's come from its lineage).
    public var bases: [BaseModelRef]
}

/// Finds the license of each base model, in order: configuration → a model folder of the same
/// repository → `mlicense.lock` → the registry → the local Hugging Face cache → unknown.
///
/// The lock comes before the registry and the cache: it records what each ancestor's own card
/// said at a pinned revision, reviewed and committed with the models, so every machine and CI
/// decides alike; the registry is what this binary shipped with, and the cache is local state
/// that differs between machines and changes when someone downloads. Configuration and the
/// repository's own folders come first because they are the user's word and the repository's
/// own content.
public struct LicenseResolver: Sendable {
    let knowledge: LicenseKnowledge
    let configuration: Configuration
    let repoCards: [String: ModelCard]
    let cardLookup: BaseCardLookup?
    let externalLookup: ExternalModelLookup?
    let lock: LockFile?
    /// Model folders by lower-cased path, by lower-cased last two components, and by last name.
    let foldersByPath: [String: String]
    let foldersByTail: [String: String]
    let foldersByName: [String: [String]]
    /// For an audit: the license a model of the corpus declares, by its id; asked first.
    public var corpusLicense: (@Sendable (String) -> DeclaredLicense?)?

    /// Creates a resolver; `repoCards` are the cards of the repository's model folders by path.
    public init(knowledge: LicenseKnowledge, configuration: Configuration, repoCards: [String: ModelCard],
                cardLookup: BaseCardLookup?, externalLookup: ExternalModelLookup? = nil, lock: LockFile? = nil) {
        self.init(knowledge: knowledge, configuration: configuration, repoCards: repoCards, cardFolders: Array(repoCards.keys),
                  cardLookup: cardLookup, externalLookup: externalLookup, lock: lock)
    }

    /// Creates a resolver; `cardFolders` are the keys of `repoCards` in any order (the linter
    /// passes them sorted by path, which is usually their sorted order too, and then they are not
    /// sorted again).
    init(knowledge: LicenseKnowledge, configuration: Configuration, repoCards: [String: ModelCard], cardFolders: [String],
         cardLookup: BaseCardLookup?, externalLookup: ExternalModelLookup?, lock: LockFile?) {
        self.knowledge = knowledge
        self.configuration = configuration
        self.repoCards = repoCards
        self.cardLookup = cardLookup
        self.externalLookup = externalLookup
        self.lock = lock
        var byPath: [String: String] = [:], byTail: [String: String] = [:], byName: [String: [String]] = [:]
        byPath.reserveCapacity(repoCards.count)
        byTail.reserveCapacity(repoCards.count)
        byName.reserveCapacity(repoCards.count)
        // Each folder's lower-cased forms are worked out over the cores; the tables are then filled
        // in the folders' order, which decides the first folder of a tail and the order of a name's.
        let folders = cardFolders.isAscending ? cardFolders : cardFolders.sorted()
        let forms = Parallel.map(folders, parallel: folders.count > 2 * Parallel.chunkSize) { chunk in
            chunk.map { folder -> (lower: String, last: String?, tail: String?) in
                let lower = folder.lowercasedSharingASCII
                let (last, tail) = Self.lastComponents(lower)
                return (lower, last, tail)
            }
        }.joined()
        for (folder, form) in zip(folders, forms) {
            byPath[form.lower] = folder
            if let tail = form.tail, byTail[tail] == nil { byTail[tail] = folder }
            if let last = form.last { byName[last, default: []].append(folder) }
        }
        foldersByPath = byPath
        foldersByTail = byTail
        foldersByName = byName
    }

    /// Resolves `base`, named by the model at `modelPath`.
    public func resolve(_ base: BaseModelRef, from modelPath: String) -> ResolvedBase {
        resolveModel(base, from: modelPath).base
    }

    /// Resolves `base` with what its source says of its own bases. `modelPath` is the repository
    /// folder that names it (relative paths are read from there), nil when an outside model names it.
    public func resolveModel(_ base: BaseModelRef, from modelPath: String?) -> ResolvedModel {
        let key = base.id.lowercasedSharingASCII
        if let corpusLicense, let l = corpusLicense(base.id) {
            return ResolvedModel(base: ResolvedBase(ref: base, license: l, source: .corpus, sourceDetail: base.id),
                                 key: key, repoFolder: nil, relation: nil, bases: [])
        }
        if let d = configuration.baseLicenses[key] {
            // The user's word for this model ends the walk there.
            return ResolvedModel(base: ResolvedBase(ref: base, license: DeclaredLicense(raw: d.license, otherName: d.licenseName, knowledge: knowledge),
                                                    source: .config, sourceDetail: d.location.display,
                                                    kind: d.kind ?? (base.kind == .hub ? knowledge.baseModel(lowercasedID: key)?.kind : nil)),
                                 key: key, repoFolder: nil, relation: nil, bases: [])
        }
        if let (folder, card) = repoCard(for: base.id, lowercased: key, from: modelPath), let l = Self.license(of: card, knowledge) {
            return ResolvedModel(base: ResolvedBase(ref: base, license: l, source: .repo, sourceDetail: folder.isEmpty ? "." : folder),
                                 key: "repo:" + folder, repoFolder: folder, relation: nil, bases: [])
        }
        guard base.kind == .hub else {
            return ResolvedModel(base: ResolvedBase(ref: base, license: nil, source: .unknown), key: key, repoFolder: nil, relation: nil, bases: [])
        }
        if let e = lock?.entry(base.id) {
            let license = e.license.map { DeclaredLicense(raw: $0, otherName: e.licenseName, knowledge: knowledge) }
            let bases = e.bases.map { b in
                BaseModelRef(id: b, kind: ModelReference.classify(b),
                             evidence: [Evidence("\(LockFile.fileName) records it as a base of \(e.id)", at: e.location)])
            }
            let known = license.map { !$0.isMissing } ?? false
            return ResolvedModel(base: ResolvedBase(ref: base, license: known ? license : nil, source: known ? .lock : .unknown,
                                                    sourceDetail: "\(e.location.display), read from \(e.source)"
                                                        + (e.revision.map { " at \($0)" } ?? ""),
                                                    revision: e.revision),
                                 key: key, repoFolder: nil, relation: e.relation, bases: bases)
        }
        if let entry = knowledge.baseModel(lowercasedID: key) {
            return ResolvedModel(base: ResolvedBase(ref: base, license: DeclaredLicense(raw: entry.license, otherName: nil, knowledge: knowledge),
                                                    source: .registry, sourceDetail: entry.source, reuploadOf: entry.reuploadOf, kind: entry.kind),
                                 key: key, repoFolder: nil, relation: nil, bases: [])
        }
        if configuration.hfCache, let external = externalLookup?(base.id) {
            return resolveExternal(base, external, key: key)
        }
        if configuration.hfCache, let found = cardLookup?(base.id) {
            let card = ModelCard(path: found.path, bytes: found.bytes)
            if let l = Self.license(of: card, knowledge) {
                return ResolvedModel(base: ResolvedBase(ref: base, license: l, source: .hfCache, sourceDetail: found.path),
                                     key: key, repoFolder: nil, relation: nil, bases: [])
            }
        }
        return ResolvedModel(base: ResolvedBase(ref: base, license: nil, source: .unknown), key: key, repoFolder: nil, relation: nil, bases: [])
    }

    /// A model of the Hugging Face cache: its license from its card, its own bases from its card
    /// and files, read as a repository's model is.
    func resolveExternal(_ base: BaseModelRef, _ external: ExternalModel, key: String) -> ResolvedModel {
        let files = external.files.keys.sorted().map { name in
            SnapshotFile(path: name, size: UInt64(external.files[name]!.count), content: .full(external.files[name]!))
        }
        let repo = ModelRepo(path: "", folderName: String(base.id.split(separator: "/").last ?? ""), files: files,
                             readGGUF: { _ in nil })
        let lineage = LineageInference.infer(repo, name: repo.folderName)
        // Locations point into the cache folder.
        let bases = lineage.bases.map { b in
            BaseModelRef(id: b.id, kind: b.kind, evidence: b.evidence.map { e in
                Evidence(e.description, at: SourceLocation(path: external.location + "/" + e.location.path,
                                                           line: e.location.line, column: e.location.column))
            })
        }
        var detail = external.cardPath
        if external.absent.contains("README.md") { detail = "\(external.location) (the cache records that it has no README.md)" }
        let license = repo.card.flatMap { Self.license(of: $0, knowledge) }
        return ResolvedModel(base: ResolvedBase(ref: base, license: license, source: license == nil ? .unknown : .hfCache,
                                                sourceDetail: detail, revision: external.revision),
                             key: key, repoFolder: nil, relation: lineage.relation, bases: bases)
    }

    /// The license a card declares, when it declares one.
    static func license(of card: ModelCard, _ knowledge: LicenseKnowledge) -> DeclaredLicense? {
        guard card.hasValidMetadata, let raw = card.license?.string, raw.lowercasedSharingASCII != "unknown" else { return nil }
        return DeclaredLicense(raw: raw, otherName: card.licenseName?.string, knowledge: knowledge)
    }

    /// A model folder of this repository that `id` (`lower` in lower case) names: a relative path
    /// inside the repository, a folder whose path is or ends with the id, or a unique folder with
    /// the id's last name.
    func repoCard(for id: String, lowercased lower: String, from modelPath: String?) -> (String, ModelCard)? {
        if id.hasPrefix("./") || id.hasPrefix("../") || id == "." || id == ".." {
            guard let modelPath, let p = Self.join(modelPath, id), let card = repoCards[p] else { return nil }
            return (p, card)
        }
        guard ModelReference.classify(id) == .hub else { return nil }
        let last = Self.lastComponents(lower).last
        // A folder that is the id or ends with it has the id's last name: when no folder has that
        // name (a Hub id, the usual case) none is looked up by path or tail.
        if let last, foldersByName[last] == nil { return nil }
        if let folder = foldersByPath[lower] ?? foldersByTail[lower], let card = repoCards[folder] { return (folder, card) }
        if let named = foldersByName[last ?? lower], named.count == 1, named[0] != modelPath, let card = repoCards[named[0]] {
            return (named[0], card)
        }
        return nil
    }

    /// The last non-empty `/`-separated component of `path`, and the last two joined with `/`
    /// (nil when there are fewer): what `split(separator: "/")` gives as `last` and `suffix(2)`.
    static func lastComponents(_ path: String) -> (last: String?, tail: String?) {
        let slash = UInt8(ascii: "/")
        // An ASCII path without empty components (the usual one): its last two components are the
        // text after the last slash and after the one before it, found in one pass over the bytes.
        // (ASCII only: a combining mark after a slash makes one Character of the two, which
        // `split` does not split.)
        let slashes = path.withContiguousUTF8 { u -> (plain: Bool, last: Int, before: Int) in
            guard let first = u.first, first != slash, u.last != slash else { return (false, -1, -1) }
            var last = -1, before = -1
            var previous: UInt8 = 0
            for i in u.indices {
                let b = u[i]
                if b >= 0x80 || (b == slash && previous == slash) { return (false, -1, -1) }
                if b == slash {
                    before = last
                    last = i
                }
                previous = b
            }
            return (true, last, before)
        }
        if slashes.plain {
            guard slashes.last >= 0 else { return (path, nil) }
            let u = path.utf8
            let last = String(path[u.index(u.startIndex, offsetBy: slashes.last + 1)...])
            return (last, String(path[u.index(u.startIndex, offsetBy: slashes.before + 1)...]))
        }
        let parts = path.split(separator: "/")
        guard let last = parts.last else { return (nil, nil) }
        return (String(last), parts.count >= 2 ? String(parts[parts.count - 2]) + "/" + String(last) : nil)
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

extension Array where Element: Comparable {
    /// Whether each element is less than the next: `sorted()` would give the same array.
    var isAscending: Bool {
        var i = 1
        while i < count {
            guard self[i - 1] < self[i] else { return false }
            i += 1
        }
        return true
    }
}
