import FoundationEssentials
import Glibc
import MLicenseCore
import MLicenseGit

/// Where `check` and `lineage` read files from.
enum SourceChoice: Equatable {
    case worktree, staged, commit(String)

    /// From `--staged`, `--commit REV`, `--worktree`.
    static func from(_ args: ParsedArguments) throws(UsageError) -> SourceChoice? {
        var chosen: [SourceChoice] = []
        if args.has("staged") { chosen.append(.staged) }
        if let c = args.value("commit") { chosen.append(.commit(c)) }
        if args.has("worktree") { chosen.append(.worktree) }
        guard chosen.count <= 1 else { throw UsageError(message: "choose one of --staged, --commit and --worktree") }
        return chosen.first
    }
}

/// An error of the run (exit 2) with what failed.
struct RunError: Error {
    let message: String
}

/// A checked folder: the repository (or plain folder) holding it, and how to read it.
struct Workspace {
    /// The repository, when the folder is inside one.
    let repository: Repository?
    /// The repository's work tree root (or git directory when bare), or the plain folder.
    let root: String
    /// The checked folder relative to `root` ("" = all of it).
    let prefix: String
    /// The source.
    let source: SourceChoice?
    /// The environment (GIT_INDEX_FILE).
    let environment: [String: String]
    /// When files were named rather than folders: those files (relative to `root`); the models
    /// holding them are checked.
    var focus: [String]? = nil
    /// The PATH argument as given.
    var argument: String = "."

    /// Opens the folder `path`.
    static func open(_ path: String, source: SourceChoice?, environment: [String: String]) throws -> Workspace {
        let abs = Paths.absolute(path)
        var info = stat()
        guard stat(abs, &info) == 0 else {
            throw RunError(message: "\(path): no such folder")
        }
        let isFile = info.st_mode & S_IFMT == S_IFREG
        guard isFile || info.st_mode & S_IFMT == S_IFDIR else {
            throw RunError(message: "\(path): not a folder or a file (mlicense checks model repositories)")
        }
        let folder = isFile ? SnapshotPaths.folder(abs) : abs
        let repo: Repository?
        do {
            repo = try Repository.discover(from: folder)
        } catch let e as GitError where e.isNotFound {
            repo = nil
        }
        if isFile {
            // A file: the model holding it (the deepest model folder above it). Outside git, the
            // file's folder is the checked folder.
            let realFile = RelativePath.join(Paths.real(folder), Paths.lastComponent(abs))
            if let repo, let work = repo.workDirectory {
                let root = Paths.real(work)
                return Workspace(repository: repo, root: root, prefix: "", source: source, environment: environment,
                                 focus: [Paths.relative(realFile, to: root)], argument: path)
            }
            if let source, source != .worktree {
                throw RunError(message: "\(path) is not inside a git repository, so \(source == .staged ? "--staged" : "--commit") cannot be used")
            }
            return Workspace(repository: nil, root: Paths.real(folder), prefix: "", source: nil, environment: environment,
                             focus: [Paths.lastComponent(abs)], argument: path)
        }
        guard let repo else {
            if let source, source != .worktree {
                throw RunError(message: "\(path) is not inside a git repository, so \(source == .staged ? "--staged" : "--commit") cannot be used")
            }
            return Workspace(repository: nil, root: Paths.real(abs), prefix: "", source: nil, environment: environment,
                             argument: path)
        }
        let root = Paths.real(repo.workDirectory ?? repo.gitDirectory)
        let prefix = repo.workDirectory == nil ? "" : Paths.relative(Paths.real(abs), to: root)
        if repo.isBare, source == .worktree || source == .staged {
            throw RunError(message: "\(path) is a bare repository: it has no work tree or index; use --commit REV")
        }
        return Workspace(repository: repo, root: root, prefix: prefix, source: source, environment: environment,
                         argument: path)
    }

    /// How a report shows this workspace's paths (nil: as they are, relative to the root):
    /// relative to `currentFolder` (`relativeToHere`, the text reports); outside git with
    /// several PATHs, under the PATH as given, so that each finding names its model.
    func displayMapping(relativeToHere: Bool, several: Bool, currentFolder: String) -> ((String) -> String)? {
        let here = Paths.real(currentFolder)
        if relativeToHere {
            if here == root { return nil }
            let root = self.root
            return { p in RelativePath.from(here, to: RelativePath.join(root, p)) }
        }
        guard repository == nil, several else { return nil }
        var given = argument
        if focus != nil { given = SnapshotPaths.folder(given) == "." && !given.contains("/") ? "" : SnapshotPaths.folder(given) }
        while given.hasSuffix("/"), given.count > 1 { given.removeLast() }
        if given.hasPrefix("./") { given.removeFirst(2) }
        if given == "." { given = "" }
        return { p in RelativePath.join(given, p) }
    }

    /// The effective source: the default is the work tree in a git work tree, HEAD in a bare one.
    var effectiveSource: SourceChoice {
        if let source { return source }
        if repository?.isBare == true { return .commit("HEAD") }
        return .worktree
    }

    /// The name of the root folder (the root model's name when its card has none).
    var rootName: String {
        let folder = prefix.isEmpty ? root : prefix
        var name = Paths.lastComponent(folder)
        if repository == nil, let cached = HFCache.snapshotIdentity(root) { name = Paths.lastComponent(cached.id) }
        if repository?.isBare == true, name.hasSuffix(".git") { name = String(name.dropLast(4)) }
        return name
    }

    /// Whether `path` (repository-relative) is inside the checked folder.
    func contains(_ path: String) -> Bool {
        prefix.isEmpty || path == prefix || path.hasPrefix(prefix + "/")
    }

    /// The snapshot of the checked folder (plus configuration files above it).
    func snapshot(include extra: ((String) -> Bool)? = nil) throws -> RepositorySnapshot {
        let touched = focus.map { TouchedScope.include(touching: $0) }
        let include: (String) -> Bool = { p in
            if Configuration.isConfigurationFile(p) || p == LockFile.fileName { return true }
            return self.contains(p) && (touched?(p) ?? true) && (extra?(p) ?? true)
        }
        guard let repo = repository else {
            // A snapshot of the Hugging Face cache: its files are links into the cache's blobs.
            if HFCache.snapshotIdentity(root) != nil { return try HFCache.snapshotFiles(root) }
            return try FolderSnapshot.read(root: root, include: include)
        }
        switch effectiveSource {
        case .worktree: return try repo.worktreeSnapshot(include: include, checkedFolder: prefix)
        case .staged:
            return try repo.indexSnapshot(indexFile: Repository.indexFile(fromEnvironment: environment, workDirectory: repo.workDirectory), include: include)
        case .commit(let rev): return try repo.commitSnapshot(rev, include: include)
        }
    }

    /// Outside git: the configuration files of the folders above `root`, up to the file system's
    /// root, merged from the top down and seen from `root`.
    func configurationsAbove() throws -> Configuration {
        var found: [(folder: String, path: String)] = []
        var folder = SnapshotPaths.folder(root)
        while true {
            for name in Configuration.fileNames {
                let p = RelativePath.join(folder == "/" ? "" : folder, name)
                let path = p.hasPrefix("/") ? p : "/" + p
                if access(path, R_OK) == 0 { found.append((folder, path)); break }
            }
            if folder == "/" { break }
            folder = SnapshotPaths.folder(folder)
        }
        var config = Configuration()
        for f in found.reversed() {
            guard let data = FileManager.default.contents(atPath: f.path) else { continue }
            let own = try Configuration.parse(Array(data), path: f.path)
            let below = RelativePath.from(f.folder, to: root)
            config = own.relocated(below: below == "." ? "" : below).inheriting(from: config, folder: "")
        }
        return config
    }

    /// The configuration in force for the checked folder (the first of ``configurations``).
    func configuration(_ snapshot: RepositorySnapshot, explicit: String?, disabled: Bool) throws -> Configuration {
        try configurations(snapshot, explicit: explicit, disabled: disabled)[0].config
    }

    /// The configurations in force: `--config FILE` (alone) or none (`--no-config`) for the
    /// checked folder; else, from the snapshot (so a hook reads the staged files), the
    /// `.mlicense.yml` nearest above the checked folder, inheriting from those above it, then one
    /// for every folder below it that holds a configuration file. The checked folder comes first;
    /// its configuration is the defaults when no file applies.
    func configurations(_ snapshot: RepositorySnapshot, explicit: String?, disabled: Bool) throws -> [(folder: String, config: Configuration)] {
        if disabled { return [(prefix, Configuration())] }
        if let explicit {
            guard let data = FileManager.default.contents(atPath: explicit) else {
                throw RunError(message: "\(explicit): cannot read the configuration file")
            }
            return [(prefix, try Configuration.parse(Array(data), path: explicit))]
        }
        let files = Configuration.files(in: snapshot)
        var parsed: [String: Configuration] = [:]
        for f in files {
            guard let bytes = snapshot.file(f.path)?.content.bytes else { continue }
            parsed[f.folder] = try Configuration.parse(bytes, path: f.path)
        }
        // Outside git, the files in the folders above the checked one apply too.
        let above = repository == nil ? try configurationsAbove() : Configuration()
        /// The files at `folder` or above it, from the root down, merged.
        func chain(_ folder: String) -> Configuration {
            var config = above
            for f in files where f.folder.isEmpty || folder == f.folder || folder.hasPrefix(f.folder + "/") {
                guard let own = parsed[f.folder] else { continue }
                config = own.inheriting(from: config, folder: f.folder)
            }
            return config
        }
        var scopes = [(prefix, chain(prefix))]
        for f in files where !prefix.isEmpty ? f.folder.hasPrefix(prefix + "/") : !f.folder.isEmpty {
            scopes.append((f.folder, chain(f.folder)))
        }
        return scopes
    }
}

/// Path helpers.
enum Paths {
    /// The last component of `p` ("" for "/"), as NSString's `lastPathComponent` gave it.
    static func lastComponent(_ p: String) -> String {
        let trimmed = p.count > 1 && p.hasSuffix("/") ? String(p.dropLast()) : p
        if trimmed == "/" { return "/" }
        return trimmed.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? ""
    }

    /// The user's home folder: `$HOME`, else the password database's entry.
    static func home(_ environment: [String: String]) -> String {
        if let h = environment["HOME"], !h.isEmpty { return h }
        if let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { return String(cString: dir) }
        return "/"
    }

    static func absolute(_ p: String) -> String {
        let url = p.hasPrefix("/") ? URL(fileURLWithPath: p) : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(p)
        return url.standardizedFileURL.path
    }

    static func real(_ p: String) -> String {
        URL(fileURLWithPath: p).resolvingSymlinksInPath().standardizedFileURL.path
    }

    static func relative(_ p: String, to root: String) -> String {
        let r = root.hasSuffix("/") ? root : root + "/"
        if p == root || p + "/" == r { return "" }
        return p.hasPrefix(r) ? String(p.dropFirst(r.count)) : ""
    }
}
