/// What to check.
public struct LintRequest: Sendable {
    /// The files.
    public var snapshot: RepositorySnapshot
    /// The configuration in force.
    public var configuration: Configuration
    /// Licenses and the registry.
    public var knowledge: LicenseKnowledge
    /// The name of the folder at the snapshot's root (the root model's name when its card gives none).
    public var rootName: String
    /// Reads base cards from the Hugging Face cache, when allowed.
    public var cardLookup: BaseCardLookup?
    /// Reads base models (card and configs) from the Hugging Face cache, when allowed; preferred
    /// to `cardLookup`, and followed to the bases' own bases.
    public var externalLookup: ExternalModelLookup? = nil
    /// Paths a commit changes: only the models they touch are checked (a hook); nil = all models.
    public var changedPaths: [String]?
    /// Only model folders at or below this folder are checked ("" = all).
    public var scope: String = ""
    /// When set, only the rules with these codes run (an audit needs only the rules its rows count).
    public var onlyRules: Set<String>?
    /// Whether `# mlicense: ignore[…]` comments in a model's card accept that model's findings
    /// (``InlineSuppressions``): what `mlicense check` and the hooks do.
    public var cardSuppressions = false
    /// Reads a GGUF header into lineage facts.
    public var readGGUF: @Sendable (SnapshotFile) -> Result<GGUFInfo, ModelFileProblem>?
    /// Takes what the run built and its result does not hold (cards, their YAML trees, the models
    /// as read). A process about to exit keeps them (freeing them costs a 5,000-model check about
    /// 80 M instructions and frees nothing it still needs); when nil, they are released on another
    /// thread while the caller goes on.
    public var leftovers: (@Sendable (any Sendable) -> Void)? = nil

    /// Creates a request.
    public init(snapshot: RepositorySnapshot, configuration: Configuration, knowledge: LicenseKnowledge,
                rootName: String, cardLookup: BaseCardLookup? = nil, changedPaths: [String]? = nil,
                readGGUF: @escaping @Sendable (SnapshotFile) -> Result<GGUFInfo, ModelFileProblem>? = GGUFReading.read) {
        self.snapshot = snapshot
        self.configuration = configuration
        self.knowledge = knowledge
        self.rootName = rootName
        self.cardLookup = cardLookup
        self.changedPaths = changedPaths
        self.readGGUF = readGGUF
    }
}

/// One model as checked: what the JSON report's `models` array holds.
///
/// The fields are kept in one box (``CopyOnWriteBox``): summaries are merged from the cores and
/// from each configuration's run (copying 5,000 of them field by field touched 75,000 objects).
public struct ModelSummary: Sendable {

    private struct Fields: Sendable {
        var path: String
        var name: String
        var declaredLicense: String?
        var licenseName: String?
        var licenseLink: String?
        var lineage: Lineage
        var bases: [ResolvedBase]
        var ancestry: ModelAncestry
    }

    private var storage: CopyOnWriteBox<Fields>

    private mutating func unique() -> CopyOnWriteBox<Fields> { .unique(&storage) }

    /// Creates a summary.
    public init(path: String, name: String, declaredLicense: String?, licenseName: String?, licenseLink: String?,
                lineage: Lineage, bases: [ResolvedBase], ancestry: ModelAncestry = .empty) {
        storage = CopyOnWriteBox(Fields(path: path, name: name, declaredLicense: declaredLicense, licenseName: licenseName,
                                 licenseLink: licenseLink, lineage: lineage, bases: bases, ancestry: ancestry))
    }

    /// The model's path ("." for the root).
    public var path: String {
        get { storage.fields.path }
        set { unique().fields.path = newValue }
    }
    /// Its name.
    public var name: String {
        get { storage.fields.name }
        set { unique().fields.name = newValue }
    }
    /// The declared license as written.
    public var declaredLicense: String? {
        get { storage.fields.declaredLicense }
        set { unique().fields.declaredLicense = newValue }
    }
    /// `license_name`, for `other`.
    public var licenseName: String? {
        get { storage.fields.licenseName }
        set { unique().fields.licenseName = newValue }
    }
    /// `license_link`.
    public var licenseLink: String? {
        get { storage.fields.licenseLink }
        set { unique().fields.licenseLink = newValue }
    }
    /// The lineage.
    public var lineage: Lineage {
        get { storage.fields.lineage }
        set { unique().fields.lineage = newValue }
    }
    /// The bases with their licenses.
    public var bases: [ResolvedBase] {
        get { storage.fields.bases }
        set { unique().fields.bases = newValue }
    }
    /// Every ancestor to the roots, nearest first (the direct bases included).
    public var ancestry: ModelAncestry {
        get { storage.fields.ancestry }
        set { unique().fields.ancestry = newValue }
    }
}

/// A finding accepted by the configuration's `ignore`.
public struct SuppressedFinding: Sendable {
    /// The finding.
    public var finding: Finding
    /// The reason given.
    public var reason: String
}

/// The outcome of a check.
public struct LintResult: Sendable {
    /// The models checked, by path.
    public var models: [ModelSummary]
    /// The findings in report order.
    public var findings: [Finding]
    /// Findings accepted by `ignore`, with their reasons.
    public var suppressed: [SuppressedFinding]

    /// Creates a result.
    public init(models: [ModelSummary], findings: [Finding], suppressed: [SuppressedFinding]) {
        self.models = models
        self.findings = findings
        self.suppressed = suppressed
    }

    /// An empty result: nothing was checked.
    public static let empty = LintResult(models: [], findings: [], suppressed: [])

    /// The number of findings of `severity`.
    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }
}

/// The linter: a snapshot in, findings out. No I/O.
public enum Linter {
    /// Checks every model of the request's snapshot.
    public static func lint(_ request: LintRequest) -> LintResult {
        lint(request, parallel: true)
    }

    /// Checks every model; with `parallel`, the cards and the models are read and checked in chunks
    /// over the processor's cores. The result does not depend on it: chunks are merged in model
    /// order before the findings are sorted.
    static func lint(_ original: LintRequest, parallel: Bool) -> LintResult {
        var withCustom = original
        // Licenses whose terms .mlicense.yml states are checked like built-in ones.
        withCustom.knowledge = original.knowledge.adding(original.configuration.customLicenses)
        let request = withCustom
        let config = request.configuration
        let snapshot = request.snapshot
        // Every card is read once: it tells which folders are models, resolves bases that live in
        // the same repository, and is the model's card. Cards and files are kept by folder id.
        let table = snapshot.folders
        let (cardOf, marked) = ModelDiscovery.cardsByFolder(in: snapshot, parallel: parallel)
        let folderIDs = modelFolderIDs(snapshot, config, marked: marked)
        let folders = folderIDs.map { table.paths[Int($0)] }
        // The files of each model folder on one core while the other sets up the resolver (a
        // hook's few models on one).
        let (filesOf, (modelCards, resolver, lockProblem)) = Parallel.both(parallel: parallel && folders.count > Parallel.chunkSize, {
            ModelDiscovery.filesByFolder(snapshot, models: folderIDs)
        }, {
            var modelCards: [String: ModelCard] = [:]
            var cardFolders: [String] = []
            modelCards.reserveCapacity(folders.count)
            cardFolders.reserveCapacity(folders.count)
            for (id, f) in zip(folderIDs, folders) {
                if let c = cardOf[Int(id)] { modelCards[f] = c; cardFolders.append(f) }
            }
            // The lock is read from the snapshot (the staged one in a hook), like a card.
            let (lock, lockProblem) = readLock(snapshot)
            let resolver = LicenseResolver(knowledge: request.knowledge, configuration: config, repoCards: modelCards,
                                           cardFolders: cardFolders, cardLookup: request.cardLookup,
                                           externalLookup: request.externalLookup, lock: lock)
            return (modelCards, resolver, lockProblem)
        })
        let touched = request.changedPaths.map { ModelDiscovery.touched(by: $0, folders: folders) }
        let scope = request.scope
        let scopePrefix = scope + "/"
        let wantedIDs = zip(folderIDs, folders).filter { (_, f) in
            (touched.map { $0.contains(f) } ?? true) && (scope.isEmpty || f == scope || f.hasPrefix(scopePrefix))
        }.map(\.0)
        let wanted = wantedIDs.map { table.paths[Int($0)] }
        // 1. Each model read, its lineage inferred and its direct bases resolved. Each chunk also
        // keeps each base its models name once, as first resolved: most models share a few bases,
        // and the ancestry starts from those instead of from every model's list.
        let readChunks = Parallel.map(wantedIDs, parallel: parallel) { ids -> (read: [ReadModel], starts: [ResolvedModel]) in
            var seen = SeenKeys()
            var starts: [ResolvedModel] = []
            let read = ids.map { id in
                let m = readModel(table.paths[Int(id)], request: request, card: cardOf[Int(id)], files: filesOf[Int(id)], resolver: resolver)
                for d in m.direct where seen.insert(d.key) { starts.append(d) }
                return m
            }
            return (read, starts)
        }
        let read = readChunks.flatMap(\.read)
        // 2. The ancestry to the roots, once for every model. A base that is a model folder of the
        // run is found by its place among the sorted folders read.
        let ancestry = Ancestry(startLists: readChunks.map(\.starts), resolver: resolver) { folder in
            if let i = sortedPosition(of: folder, in: wanted) { return (read[i].lineage.relation, read[i].lineage.bases) }
            let id = table.id(of: folder).map(Int.init)
            let m = readModel(folder, request: request, card: id.flatMap { cardOf[$0] }, files: id.map { filesOf[$0] } ?? [], resolver: nil)
            return (m.lineage.relation, m.lineage.bases)
        }
        // 3. The rules.
        let firstDerivative = read.firstIndex { !$0.direct.isEmpty } ?? 0
        let indexed = Array(read.indices)
        // Each chunk also puts its findings in report order, and the chunks' lists are then joined.
        let checked = Parallel.map(indexed, parallel: parallel) { indices -> (models: [CheckedModel], findings: [Finding]) in
            let models = indices.map { i in
                var m = check(read[i], request: request, ancestry: ancestry.ancestry(ofFolder: read[i].model.path, direct: read[i].direct),
                              lockProblem: i == firstDerivative ? lockProblem : nil)
                // The card's own `# mlicense: ignore[…]` comments, read from the card already parsed.
                if request.cardSuppressions, !m.findings.isEmpty, let card = read[i].model.card {
                    let entries = InlineSuppressions.parse(card)
                    if !entries.isEmpty { (m.findings, m.cardAccepted) = InlineSuppressions.split(m.findings, by: entries) }
                }
                return m
            }
            return (models, Finding.sortedForReport(models.flatMap(\.findings)))
        }
        var models: [ModelSummary] = []
        var suppressed: [SuppressedFinding] = []
        var cardAccepted: [SuppressedFinding] = []
        models.reserveCapacity(wanted.count)
        for chunk in checked {
            for m in chunk.models {
                models.append(m.summary)
                suppressed.append(contentsOf: m.suppressed)
                cardAccepted.append(contentsOf: m.cardAccepted)
            }
        }
        // The configuration's suppressions in model order, then the cards' in report order.
        if !cardAccepted.isEmpty {
            suppressed += Finding.reportIndices(cardAccepted.map(\.finding)).map { cardAccepted[$0] }
        }
        let result = LintResult(models: models, findings: Finding.joinedInReportOrder(checked.map(\.findings)), suppressed: suppressed)
        // What the run built and the result does not hold (cards, their YAML trees, the models as
        // read) goes to the caller's keeper, or is freed on another core while the caller renders
        // the report.
        let leftovers = (consume read, consume checked, consume cardOf, consume modelCards, consume filesOf,
                         consume resolver, consume ancestry, consume readChunks)
        if let keep = request.leftovers { keep(leftovers) } else { Parallel.release(leftovers) }
        return result
    }

    /// One model as checked.
    struct CheckedModel {
        var summary: ModelSummary
        var findings: [Finding]
        var suppressed: [SuppressedFinding]
        /// The findings the model's card accepts (``LintRequest/cardSuppressions``).
        var cardAccepted: [SuppressedFinding] = []
    }

    /// The index of `folder` in `folders`, which are in path order (``SourceLocation/pathPrecedes(_:_:)``,
    /// as ``ModelDiscovery/modelFolders(in:cards:include:)`` returns them), or nil when it is not
    /// among them.
    static func sortedPosition(of folder: String, in folders: [String]) -> Int? {
        var low = 0, high = folders.count
        while low < high {
            let mid = (low + high) / 2
            if SourceLocation.pathPrecedes(folders[mid], folder) { low = mid + 1 } else { high = mid }
        }
        return low < folders.count && folders[low] == folder ? low : nil
    }

    /// `mlicense.lock` at the snapshot's root, or why it cannot be read.
    static func readLock(_ snapshot: RepositorySnapshot) -> (LockFile?, LockFileError?) {
        guard let f = snapshot.file(LockFile.fileName), let bytes = f.content.bytes else { return (nil, nil) }
        do { return (try LockFile.read(bytes, path: f.path), nil) } catch { return (nil, error) }
    }

    /// One model read: its files, name, lineage, declared license and direct bases. A class, so
    /// that handing a model from stage to stage costs one reference count, not one per field.
    final class ReadModel: Sendable {
        let model: ModelRepo
        let name: Located<String>
        let lineage: Lineage
        let declared: DeclaredLicense
        let direct: [ResolvedModel]

        init(model: ModelRepo, name: Located<String>, lineage: Lineage, declared: DeclaredLicense, direct: [ResolvedModel]) {
            self.model = model
            self.name = name
            self.lineage = lineage
            self.declared = declared
            self.direct = direct
        }
    }

    /// Reads the model in `folder` and resolves its direct bases (none without a resolver).
    static func readModel(_ folder: String, request: LintRequest, card: ModelCard?, files: [SnapshotFile],
                          resolver: LicenseResolver?) -> ReadModel {
        let config = request.configuration
        let folderName: String
        if folder.isEmpty {
            folderName = request.rootName
        } else if let slash = folder.lastSlashIndex {
            folderName = String(folder[folder.utf8.index(after: slash)...])
        } else {
            folderName = folder
        }
        let model = ModelRepo(path: folder, folderName: folderName, files: files, card: card, readGGUF: request.readGGUF)
        let override = config.overrides.isEmpty ? nil : config.overrides[model.displayPath]
        let name = modelName(model, override: override)
        let lineage = LineageInference.infer(model, name: name.value, override: override?.lineage)
        let card = model.card
        let declared = DeclaredLicense(raw: card?.hasValidMetadata == true ? card?.license?.string : nil,
                                       otherName: card?.licenseName?.string, knowledge: request.knowledge)
        let direct = resolver.map { r in lineage.bases.map { r.resolveModel($0, from: folder) } } ?? []
        return ReadModel(model: model, name: name, lineage: lineage, declared: declared, direct: direct)
    }

    /// Reads and checks the model in `folder` on its own (an audit's record): its bases and their
    /// own bases from `resolver`, with no repository around it.
    static func check(_ folder: String, request: LintRequest, card: ModelCard?, files: [SnapshotFile],
                      resolver: LicenseResolver) -> CheckedModel {
        let read = readModel(folder, request: request, card: card, files: files, resolver: resolver)
        let ancestry = Ancestry(start: read.direct, resolver: resolver) { _ in (nil, []) }
        return check(read, request: request, ancestry: ancestry.ancestry(ofFolder: folder, direct: read.direct), lockProblem: nil)
    }

    /// Checks a model read by ``readModel`` with its ancestry.
    static func check(_ read: ReadModel, request: LintRequest, ancestry: ModelAncestry, lockProblem: LockFileError?) -> CheckedModel {
        let config = request.configuration
        let model = read.model, name = read.name, lineage = read.lineage, declared = read.declared
        let card = model.card
        let direct = read.direct.map(\.base)
        // The ancestors whose terms an intermediate dropped bind this model as its bases do.
        let bases = ancestry.binding.isEmpty ? direct
            : direct + ancestry.binding.filter { a in !direct.contains { $0.id.lowercased() == a.id.lowercased() } }
        var bodyLicense: (located: Located<String>, report: CompatibilityReport)?
        if declared.isMissing, card?.license == nil || card?.license?.value.scalar?.isNull == true,
           let stated = card?.bodyLicense, request.knowledge.license(named: stated.value) != nil {
            let d = DeclaredLicense(raw: stated.value, otherName: nil, knowledge: request.knowledge)
            bodyLicense = (stated, CompatibilityReport(declared: d, bases: bases, relation: lineage.relation, knowledge: request.knowledge))
        }
        let textFiles = LicenseTextFiles(model)
        let context = RuleContext(
            model: model, lineage: lineage, name: name, declared: declared, bases: bases,
            knowledge: request.knowledge, configuration: config,
            compatibility: CompatibilityReport(declared: declared, bases: bases, relation: lineage.relation,
                                               knowledge: request.knowledge,
                                               bareOtherStatesNothing: declared.isUnidentified && card?.licenseLink == nil
                                                   && textFiles.licenseOrCopying.isEmpty),
            textFiles: textFiles, bodyLicense: bodyLicense, directBases: direct, ancestry: ancestry, lockProblem: lockProblem)
        var findings: [Finding] = []
        var suppressed: [SuppressedFinding] = []
        let ignores = !config.ignore.isEmpty
        let only = request.onlyRules
        for entry in RuleRegistry.entries {
            if !entry.applies(to: lineage.relation) { continue }
            if let only, !only.contains(entry.code) { continue }
            for f in entry.rule.check(context) {
                if ignores, let entry = config.ignoreEntry(for: f) {
                    suppressed.append(SuppressedFinding(finding: f, reason: entry.reason))
                } else {
                    findings.append(f)
                }
            }
        }
        let summary = ModelSummary(path: model.displayPath, name: name.value,
                                   declaredLicense: card?.hasValidMetadata == true ? card?.license?.value.scalar?.text : nil,
                                   licenseName: card?.licenseName?.string, licenseLink: card?.licenseLink?.string,
                                   lineage: lineage, bases: direct, ancestry: ancestry)
        return CheckedModel(summary: summary, findings: findings, suppressed: suppressed)
    }

    /// The model folders, as folder ids in the order of their paths: configured globs, else
    /// discovered; minus `exclude`.
    static func modelFolderIDs(_ snapshot: RepositorySnapshot, _ config: Configuration, marked: [Bool]) -> [Int32] {
        ModelDiscovery.modelFolderIDs(in: snapshot, marked: marked) { folder in
            let display = folder.isEmpty ? "." : folder
            if config.exclude.contains(where: { Glob.matchesSelfOrParent($0, display) }) { return false }
            if !config.models.isEmpty { return config.models.contains { Glob.matches(Configuration.normalisedModelPath($0), display) } }
            return true
        }
    }

    /// The model's name (RULES.md §3, ML208): the configured name, the card's `model_name` or
    /// `model-index[0].name`, else the folder's name, else the first `# ` heading.
    static func modelName(_ model: ModelRepo, override: ModelOverride?) -> Located<String> {
        let cardPath = model.card?.path ?? model.filePath("README.md")
        if let n = override?.name { return Located(n, at: SourceLocation(path: ".mlicense.yml")) }
        if let card = model.card, card.hasValidMetadata, let n = card.declaredName { return n }
        if !model.folderName.isEmpty { return Located(model.folderName, at: SourceLocation(path: cardPath, line: 1, column: 1)) }
        if let h = model.card?.firstHeading { return h }
        return Located("", at: SourceLocation(path: cardPath))
    }
}
