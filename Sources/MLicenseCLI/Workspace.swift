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

    /// Opens the folder `path`.
    static func open(_ path: String, source: SourceChoice?, environment: [String: String]) throws -> Workspace {
        let abs = Paths.absolute(path)
        var info = stat()
        guard stat(abs, &info) == 0 else {
            throw RunError(message: "\(path): no such folder")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw RunError(message: "\(path): not a folder (mlicense checks model repository folders)") }
        let repo: Repository?
        do {
            repo = try Repository.discover(from: abs)
        } catch let e as GitError where e.isNotFound {
            repo = nil
        }
        guard let repo else {
            if let source, source != .worktree {
                throw RunError(message: "\(path) is not inside a git repository, so \(source == .staged ? "--staged" : "--commit") cannot be used")
            }
            return Workspace(repository: nil, root: Paths.real(abs), prefix: "", source: nil, environment: environment)
        }
        let root = Paths.real(repo.workDirectory ?? repo.gitDirectory)
        let prefix = repo.workDirectory == nil ? "" : Paths.relative(Paths.real(abs), to: root)
        if repo.isBare, source == .worktree || source == .staged {
            throw RunError(message: "\(path) is a bare repository: it has no work tree or index; use --commit REV")
        }
        return Workspace(repository: repo, root: root, prefix: prefix, source: source, environment: environment)
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
        if repository?.isBare == true, name.hasSuffix(".git") { name = String(name.dropLast(4)) }
        return name
    }

    /// Whether `path` (repository-relative) is inside the checked folder.
    func contains(_ path: String) -> Bool {
        prefix.isEmpty || path == prefix || path.hasPrefix(prefix + "/")
    }

    /// The snapshot of the checked folder (plus configuration files above it).
    func snapshot(include extra: ((String) -> Bool)? = nil) throws -> RepositorySnapshot {
        let include: (String) -> Bool = { p in
            if Configuration.isConfigurationFile(p) { return true }
            return self.contains(p) && (extra?(p) ?? true)
        }
        guard let repo = repository else { return try FolderSnapshot.read(root: root, include: include) }
        switch effectiveSource {
        case .worktree: return try repo.worktreeSnapshot(include: include, checkedFolder: prefix)
        case .staged:
            return try repo.indexSnapshot(indexFile: Repository.indexFile(fromEnvironment: environment, workDirectory: repo.workDirectory), include: include)
        case .commit(let rev): return try repo.commitSnapshot(rev, include: include)
        }
    }

    /// The configuration: `--config FILE`, else the nearest `.mlicense.yml` from the checked
    /// folder up to the root in the snapshot (so a hook reads the staged one), else the defaults.
    func configuration(_ snapshot: RepositorySnapshot, explicit: String?, disabled: Bool) throws -> Configuration {
        if disabled { return Configuration() }
        if let explicit {
            guard let data = FileManager.default.contents(atPath: explicit) else {
                throw RunError(message: "\(explicit): cannot read the configuration file")
            }
            return try Configuration.parse(Array(data), path: explicit)
        }
        var folder = prefix
        while true {
            for name in Configuration.fileNames {
                let p = folder.isEmpty ? name : "\(folder)/\(name)"
                if let f = snapshot.file(p), let bytes = f.content.bytes {
                    return try Configuration.parse(bytes, path: p)
                }
            }
            if folder.isEmpty { break }
            folder = folder.contains("/") ? String(folder[..<folder.lastIndex(of: "/")!]) : ""
        }
        return Configuration()
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

/// Reads base models' cards from the local Hugging Face cache (`$HF_HUB_CACHE`, else
/// `$HF_HOME/hub`, else `~/.cache/huggingface/hub`): the snapshot `refs/main` points at.
enum HFCache {
    static func lookup(environment: [String: String]) -> BaseCardLookup {
        let hub: String
        if let c = environment["HF_HUB_CACHE"], !c.isEmpty { hub = c } else if let h = environment["HF_HOME"], !h.isEmpty { hub = h + "/hub" } else {
            hub = Paths.home(environment) + "/.cache/huggingface/hub"
        }
        return { id in
            let parts = id.split(separator: "/")
            guard parts.count == 2, ModelReference.classify(id) == .hub else { return nil }
            let dir = "\(hub)/models--\(parts[0])--\(parts[1])"
            guard let ref = try? String(contentsOfFile: dir + "/refs/main", encoding: .utf8) else { return nil }
            let commit = String(ref.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            guard commit.allSatisfy({ $0.isHexDigit }), !commit.isEmpty else { return nil }
            let path = "\(dir)/snapshots/\(commit)/README.md"
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            return (path, FileDescriptor.readAll(fd, limit: FileInterest.textLimit))
        }
    }
}
