/// Runs the linter's stages over an audited corpus and keeps, of every model, its ``AuditEntry``.
public enum AuditRun {
    /// Checks a folder corpus's snapshot as `mlicense check` does; `jobs` = 1 checks on one thread.
    public static func lint(_ request: LintRequest, jobs: Int?) -> LintResult {
        var request = request
        request.onlyRules = AuditEntry.mappedCodes
        return Linter.lint(request, parallel: jobs != 1)
    }

    /// The entries of the models a folder corpus's check found.
    public static func entries(_ result: LintResult, knowledge: LicenseKnowledge) -> [AuditEntry] {
        let index = AuditLicenseIndex(knowledge)
        var byModel: [String: [Finding]] = [:]
        for f in result.findings { byModel[f.model, default: []].append(f) }
        return result.models.map { m in
            AuditEntry(summary: m, findings: byModel[m.path] ?? [], knowledge: knowledge, licenseIndex: index)
        }
    }

    /// The licenses the models of a JSONL corpus declare, by lower-cased id (the first line of an
    /// id wins): what bases resolve to first.
    public struct CorpusLicenses: Sendable {
        let table: [String: (raw: String, name: String?)]

        /// The table of every record of `blocks`.
        public init(_ blocks: [[HubModelRecord]]) {
            var licenses: [String: (raw: String, name: String?)] = [:]
            licenses.reserveCapacity(blocks.reduce(0) { $0 + $1.count })
            for block in blocks {
                for r in block {
                    let key = r.id.lowercased()
                    if licenses[key] == nil, let raw = r.license.raw, raw.lowercased() != "unknown" {
                        licenses[key] = (raw, r.license.name)
                    }
                }
            }
            table = licenses
        }
    }

    /// Checks every model of a JSONL corpus: each record's card and files go through the model
    /// reader, lineage, the resolver and the rules as a model folder named by its id would. Bases
    /// resolve inside the corpus first (the license another line declares), then as configured
    /// (configuration, registry, Hugging Face cache). `jobs` bounds the threads; `progress` is told
    /// how many were checked.
    public static func entries(_ records: [HubModelRecord], configuration: Configuration, knowledge: LicenseKnowledge,
                               cardLookup: BaseCardLookup?, jobs: Int? = nil,
                               progress: (@Sendable (Int) -> Void)? = nil) -> [AuditEntry] {
        entries(records, corpus: CorpusLicenses([records]), configuration: configuration, knowledge: knowledge,
                cardLookup: cardLookup, jobs: jobs, progress: progress)
    }

    /// ``entries(_:configuration:knowledge:cardLookup:jobs:progress:)`` for some of the corpus's
    /// records, with the licenses of the whole corpus: a large corpus is checked block by block, and
    /// each block's records freed once checked.
    public static func entries(_ records: [HubModelRecord], corpus: CorpusLicenses, configuration: Configuration,
                               knowledge: LicenseKnowledge, cardLookup: BaseCardLookup?, jobs: Int? = nil,
                               progress: (@Sendable (Int) -> Void)? = nil) -> [AuditEntry] {
        let table = corpus.table
        var resolver = LicenseResolver(knowledge: knowledge, configuration: configuration, repoCards: [:], cardLookup: cardLookup)
        resolver.corpusLicense = { id in
            table[id.lowercased()].map { DeclaredLicense(raw: $0.raw, otherName: $0.name, knowledge: knowledge) }
        }
        let index = AuditLicenseIndex(knowledge)
        var request = LintRequest(snapshot: RepositorySnapshot(source: .directory, files: []), configuration: configuration,
                                  knowledge: knowledge, rootName: "", cardLookup: cardLookup)
        // Only the rules some row counts: the others' findings would be dropped.
        request.onlyRules = AuditEntry.mappedCodes
        let frozen = resolver
        let lintRequest = request
        let chunks = Parallel.map(records, parallel: true, chunkSize: 512, width: jobs) { slice -> [AuditEntry] in
            let entries = slice.map { r in entry(r, request: lintRequest, resolver: frozen, index: index) }
            progress?(slice.count)
            return entries
        }
        return chunks.flatMap { $0 }
    }

    /// One record checked.
    static func entry(_ r: HubModelRecord, request: LintRequest, resolver: LicenseResolver, index: AuditLicenseIndex) -> AuditEntry {
        let cardPath = r.id + "/README.md"
        let bytes = r.cardBytes()
        var files = [SnapshotFile(path: cardPath, size: UInt64(bytes.count), content: .full(bytes))]
        for name in r.files { files.append(SnapshotFile(path: r.id + "/" + name, size: 0, content: .notLoaded)) }
        let card = ModelCard(path: cardPath, bytes: bytes)
        let checked = Linter.check(r.id, request: request, card: card, files: files, resolver: resolver)
        return AuditEntry(summary: checked.summary, findings: checked.findings, knowledge: request.knowledge, licenseIndex: index)
    }
}
