/// Nested configuration files: the nearest `.mlicense.yml` above a model applies to it, and
/// inherits what it does not set from the files above it (up to the repository root), so a model
/// gets one verdict whether `check` runs at the root, in a subfolder, or as a hook.
///
/// A nested file's paths (`ignore` paths, `models` and `exclude` globs, `overrides` keys) are
/// relative to its own folder, as `.gitignore` patterns are; they are stored relative to the
/// repository root. Scalars (`fail-on`, `adapters`, `resolve`, `push-history`) and `models` replace the inherited
/// ones when the nested file sets them; `rules`, `base-licenses`, `licenses` and `overrides` are merged key by
/// key (the nested file wins); `exclude` and `ignore` add to the inherited lists.
extension Configuration {
    /// `self` (read from the file in `folder`, repository-relative, "" for the root) on top of
    /// `parent`.
    public func inheriting(from parent: Configuration, folder: String) -> Configuration {
        let under = { (p: String) -> String in
            guard !folder.isEmpty else { return p }
            let n = Configuration.normalisedModelPath(p)
            return n == "." ? folder : folder + "/" + n
        }
        var out = parent
        out.path = path
        out.setKeys = parent.setKeys.union(setKeys)
        if setKeys.contains("version") { out.version = version }
        if setKeys.contains("fail-on") { out.failOn = failOn }
        if setKeys.contains("adapters") { out.adapters = adapters }
        if setKeys.contains("resolve") { out.hfCache = hfCache }
        if setKeys.contains("push-history") { out.pushHistory = pushHistory }
        for (code, setting) in ruleSeverities { out.ruleSeverities[code] = setting }
        for (id, license) in baseLicenses { out.baseLicenses[id] = license }
        for record in customLicenses {
            out.customLicenses.removeAll { $0.id == record.id }
            out.customLicenses.append(record)
        }
        if setKeys.contains("models") { out.models = models.map(under) }
        out.exclude += exclude.map(under)
        out.ignore += ignore.map { e in
            var e = e
            e.path = under(e.path)
            return e
        }
        for (model, o) in overrides { out.overrides[Configuration.normalisedModelPath(under(model))] = o }
        out.warnings = parent.warnings + warnings
        return out
    }

    /// The folders (repository-relative, "" for the root) holding a configuration file in
    /// `snapshot`, the first name of ``fileNames`` winning in each, with the file's path.
    public static func files(in snapshot: RepositorySnapshot) -> [(folder: String, path: String)] {
        var byFolder: [String: (rank: Int, path: String)] = [:]
        for f in snapshot.files where isConfigurationFile(f.path) && f.content.bytes != nil {
            let name = String(f.path.split(separator: "/").last ?? "")
            let rank = fileNames.firstIndex(of: name) ?? fileNames.count
            let folder = SnapshotFile.folder(of: f.path)
            if let known = byFolder[folder], known.rank <= rank { continue }
            byFolder[folder] = (rank, f.path)
        }
        return byFolder.map { ($0.key, $0.value.path) }.sorted { $0.folder < $1.folder }
    }
}

extension Configuration {
    /// The configuration as seen from its subfolder `prefix` (a path relative to the file's
    /// folder): path-valued entries under `prefix` lose it, those starting with `**` stay, the
    /// others name nothing below `prefix` and are dropped. For a `.mlicense.yml` above a checked
    /// folder outside git.
    public func relocated(below prefix: String) -> Configuration {
        guard !prefix.isEmpty else { return self }
        func rebase(_ p: String) -> String? {
            let n = Configuration.normalisedModelPath(p)
            if n == prefix { return "." }
            if n.hasPrefix(prefix + "/") { return String(n.dropFirst(prefix.count + 1)) }
            if n.hasPrefix("**") { return n }
            return nil
        }
        var out = self
        out.models = models.compactMap(rebase)
        // Globs that all name folders elsewhere select no model here (an empty list would mean
        // "discover them"): a pattern no folder name matches.
        if setKeys.contains("models"), out.models.isEmpty, !models.isEmpty { out.models = ["\u{0}"] }
        out.exclude = exclude.compactMap(rebase)
        out.ignore = ignore.compactMap { e in
            guard let p = rebase(e.path) else { return nil }
            var e = e
            e.path = p
            return e
        }
        out.overrides = [:]
        for (model, o) in overrides { if let p = rebase(model) { out.overrides[p] = o } }
        return out
    }
}
