import FoundationEssentials
import Glibc
import MLicenseCore
import MLicenseHub
import MLicenseKnowledge

/// `mlicense lock [PATH ...] [--check]`: resolves the whole ancestry of the models, online (the
/// only command that is), into `mlicense.lock` at the repository root.
enum LockCommand {
    static let spec = CommandSpec(
        name: "lock", summary: "resolve every ancestor of the models from the Hub into mlicense.lock (the only command that goes online)",
        usage: "mlicense lock [PATH ...] [--check] [--config FILE] [--no-config]",
        options: [
            OptionSpec(name: "check", help: "write nothing; exit 1 when the lock misses an ancestor or the Hub now reports another license or revision"),
            OptionSpec(name: "config", value: "FILE", help: "use this configuration file"),
            OptionSpec(name: "no-config", help: "ignore .mlicense.yml files"),
        ],
        details: """
            Every base of every model, and every base of those, to the roots: each read from the Hub's model info \
            (GET {HF_ENDPOINT}/api/models/{id}/revision/main, and its README.md or adapter_config.json when the info \
            lacks the card data), else from the local Hugging Face cache, else from the registry. Bases that \
            .mlicense.yml base-licenses names, and model folders of the repository, are not looked up.
            The lock is written at the repository root (the checked folder outside git), sorted by id; \
            `mlicense check` and the hooks read it from the snapshot they check and never go online.
            Environment: HF_ENDPOINT, HF_TOKEN (sent as a bearer token, never written), HF_HUB_OFFLINE=1 (no request: \
            the cache and the registry only), HF_HUB_DOWNLOAD_TIMEOUT (seconds).
            Exit status: 0 written (or, with --check, up to date); 1 an ancestor stayed unresolved, or --check found a difference; 2 the run failed.
            """)

    /// One ancestor looked up, or why not.
    struct Lookup: Sendable {
        var entry: LockEntry?
        var note: String?
    }

    static func run(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, spec, io) else { return 0 }
        let hub = HubClient(environment: io.environment)
        let cache = HFCache.folder(environment: io.environment)
        var status: Int32 = 0
        // Paths sharing a repository share its lock.
        var roots: [(root: String, seeds: [String], config: Configuration, snapshot: RepositorySnapshot, ancestry: [ModelSummary])] = []
        for path in a.positionals.isEmpty ? ["."] : a.positionals {
            let ws = try Workspace.open(path, source: .worktree, environment: io.environment)
            let snapshot = try ws.snapshot()
            let config = try LintRun.configuration(ws, snapshot, a, io)
            var request = LintRun.request(snapshot, config, rootName: ws.rootName, io: io)
            request.scope = ws.prefix
            let result = Linter.lint(request)
            let seeds = seedIDs(result.models)
            if let i = roots.firstIndex(where: { $0.root == ws.root }) {
                roots[i].seeds += seeds
                roots[i].ancestry += result.models
            } else {
                roots.append((ws.root, seeds, config, snapshot, result.models))
            }
        }
        for r in roots {
            let (entries, notes) = resolve(seeds: r.seeds, config: r.config, hub: hub, cache: cache)
            for n in notes { io.err("mlicense: \(n)\n") }
            let lock = LockFile(entries: entries)
            let lockPath = r.root + "/" + LockFile.fileName
            if a.has("check") {
                let current = FileManager.default.contents(atPath: lockPath).map { Array($0) }
                let differences = try compare(current, with: lock, offline: hub.offline, models: r.ancestry, path: lockPath)
                for d in differences { io.out("\(lockPath): \(d)\n") }
                if differences.isEmpty { io.out("\(lockPath): up to date (\(lock.entries.count) ancestors)\n") } else { status = 1 }
                if !notes.isEmpty { status = 1 }
                continue
            }
            let bytes = lock.rendered()
            let mask = umask(0)
            umask(mask)
            if let problem = FixWriter.replace(folder: r.root, name: LockFile.fileName, with: bytes, mode: 0o666 & ~mask) {
                throw RunError(message: "\(lockPath): cannot write the lock: \(problem)")
            }
            let bySource = Dictionary(grouping: lock.entries, by: \.source).map { "\($0.value.count) from \($0.key)" }.sorted()
            io.out("\(lockPath): \(lock.entries.count) ancestors" + (bySource.isEmpty ? "" : " (\(bySource.joined(separator: ", ")))") + "\n")
            if !notes.isEmpty { status = 1 }
        }
        return status
    }

    /// The Hub ids where the walk starts: the bases of the models (and of their model folders in
    /// the repository) that neither the configuration nor the repository resolves.
    static func seedIDs(_ models: [ModelSummary]) -> [String] {
        var ids: [String] = []
        for m in models {
            for a in m.ancestry.ancestors where a.childKey == nil || a.childKey!.hasPrefix("repo:") {
                let source = a.node.resolved.source
                guard source != .config, source != .repo, a.node.resolved.ref.kind == .hub else { continue }
                ids.append(a.node.id)
            }
        }
        return ids
    }

    /// Every ancestor from `seeds` up, breadth first, each level's lookups in parallel.
    static func resolve(seeds: [String], config: Configuration, hub: HubClient, cache: String) -> ([LockEntry], [String]) {
        var seen: Set<String> = []
        var entries: [LockEntry] = []
        var notes: [String] = []
        var level = seeds.filter { seen.insert($0.lowercased()).inserted }
        var depth = 0
        while !level.isEmpty, depth < Ancestry.depthLimit + 1 {
            depth += 1
            let found = HubClient.bounded(level) { id in lookup(id, hub: hub, cache: cache) }
            var next: [String] = []
            for (id, l) in zip(level, found) {
                if let n = l.note { notes.append(n) }
                guard let e = l.entry else { continue }
                entries.append(e)
                for b in e.bases where ModelReference.classify(b) == .hub && config.baseLicenses[b.lowercased()] == nil {
                    if seen.insert(b.lowercased()).inserted { next.append(b) }
                }
                _ = id
            }
            level = next
        }
        return (entries, notes)
    }

    /// One ancestor: from the Hub, else the cache, else the registry.
    static func lookup(_ id: String, hub: HubClient, cache: String) -> Lookup {
        var reason: String?
        switch hub.modelInfo(id) {
        case .success(let info):
            var note: String?
            if info.id.lowercased() != id.lowercased() { note = "\(id) is now \(info.id) on the Hub (renamed); recorded under \(id)" }
            let (e, problems) = entry(from: info, id: id, hub: hub)
            let all = ([note] + problems.map { "\(id): \($0)" }).compactMap { $0 }
            return Lookup(entry: e, note: all.isEmpty ? nil : all.joined(separator: "\nmlicense: "))
        case .failure(.offline):
            reason = nil
        case .failure(let e):
            reason = "\(id): \(e)"
        }
        if let m = HFCache.model(id, cache: cache) {
            return Lookup(entry: LockEntry(external: m, source: "hf-cache"), note: reason.map { "\($0); recorded from the Hugging Face cache (\(m.location))" })
        }
        if let r = BuiltinKnowledge.shared.baseModel(id) {
            return Lookup(entry: LockEntry(id: id, license: r.license, source: "registry"), note: reason.map { "\($0); recorded from the registry" })
        }
        return Lookup(entry: nil, note: (reason ?? "\(id): not in the Hugging Face cache or the registry (HF_HUB_OFFLINE is set)") + "; left unresolved")
    }

    /// The entry for what the Hub says; the card and the adapter configuration are fetched when
    /// the model info lacks what is needed.
    static func entry(from info: HubInfo, id: String, hub: HubClient) -> (LockEntry, [String]) {
        let revision = info.sha ?? "main"
        var files: [String: [UInt8]] = [:]
        var wanted: [String] = []
        if !info.hasCardData, info.siblings.contains("README.md") { wanted.append("README.md") }
        if info.baseModels.isEmpty {
            for f in ["adapter_config.json", "mergekit_config.yml"] where info.siblings.contains(f) { wanted.append(f) }
        }
        var problems: [String] = []
        for f in wanted {
            switch hub.file(id, revision: revision, path: f) {
            case .success(let bytes): files[f] = bytes
            case .failure(let e): problems.append("cannot read \(f): \(e)")
            }
        }
        let relation = info.baseModelRelation.flatMap(Relation.init(rawValue:))
        var e = LockEntry(id: id, revision: info.sha, license: info.license, licenseName: info.licenseName, licenseLink: info.licenseLink,
                          relation: relation, bases: info.baseModels.filter { ModelReference.classify($0) == .hub }, source: "hub")
        if !files.isEmpty {
            let fromFiles = LockEntry(external: ExternalModel(id: id, revision: info.sha, location: "\(hub.endpoint)/\(id)", files: files), source: "hub")
            if !info.hasCardData {
                e.license = fromFiles.license
                e.licenseName = fromFiles.licenseName
                e.licenseLink = fromFiles.licenseLink
            }
            if e.bases.isEmpty { e.bases = fromFiles.bases }
            e.relation = e.relation ?? fromFiles.relation
        }
        if e.relation == nil, !e.bases.isEmpty { e.relation = e.bases.count > 1 ? .merge : nil }
        if e.license == nil, problems.isEmpty { problems.append("the Hub's card declares no license") }
        return (e, problems)
    }

    /// What differs between the lock on disk and `fresh`; offline, only whether every ancestor
    /// the models reach has an entry.
    static func compare(_ current: [UInt8]?, with fresh: LockFile, offline: Bool, models: [ModelSummary], path: String) throws -> [String] {
        guard let current else { return ["missing: `mlicense lock` writes it"] }
        let old: LockFile
        do { old = try LockFile.parse(current, path: path) } catch { return ["cannot be read: \(error.message) (line \(error.location.line ?? 0))"] }
        var out: [String] = []
        if offline {
            for m in models {
                for a in m.ancestry.ancestors where a.node.resolved.ref.kind == .hub && old.entry(a.node.id) == nil {
                    let s = a.node.resolved.source
                    if s != .config && s != .repo { out.append("missing ancestor \(a.node.id) (of \(m.path))") }
                }
            }
            return Array(Set(out)).sorted()
        }
        for e in fresh.entries {
            guard let o = old.entry(e.id) else { out.append("missing ancestor \(e.id)"); continue }
            var changes: [String] = []
            func diff(_ name: String, _ was: String?, _ now: String?) {
                if was != now { changes.append("\(name) \(now ?? "none") (the lock says \(was ?? "none"))") }
            }
            diff("license", o.license, e.license)
            diff("license_name", o.licenseName, e.licenseName)
            diff("license_link", o.licenseLink, e.licenseLink)
            diff("revision", o.revision, e.revision)
            diff("relation", o.relation?.rawValue, e.relation?.rawValue)
            diff("bases", o.bases.joined(separator: ", "), e.bases.joined(separator: ", "))
            diff("source", o.source, e.source)
            if !changes.isEmpty { out.append("\(e.id) changed: " + changes.joined(separator: "; ")) }
        }
        for o in old.entries where fresh.entry(o.id) == nil { out.append("\(o.id) is no longer an ancestor (or could not be read)") }
        return out
    }
}
