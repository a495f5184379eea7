import FoundationEssentials
import Glibc
import MLicenseCore

/// The local Hugging Face cache, found and read as `huggingface_hub` does
/// (`huggingface_hub/constants.py`, `file_download.py`): `HF_HUB_CACHE`, else
/// `HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`, with `HF_HOME` defaulting to
/// `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`; `~` and `$VAR` expanded as Python's
/// `os.path.expanduser` and `os.path.expandvars` do. A model lives in `models--{org}--{name}`, its
/// revisions in `refs/{name}` (a commit sha), its files in `snapshots/{sha}/` (symbolic links into
/// `blobs/`), and files known to be missing at a commit in `.no_exist/{sha}/`.
enum HFCache {
    /// The files of a cached model that mlicense reads (the same as in a repository).
    static let modelFiles = ["README.md", "adapter_config.json", "config.json", "mergekit_config.yml", "mergekit_moe_config.yml"]

    /// The hub cache folder for `environment`.
    static func folder(environment: [String: String]) -> String {
        let home = Paths.home(environment)
        let hfHome = expand(environment["HF_HOME"] ?? join(environment["XDG_CACHE_HOME"] ?? join(home, ".cache"), "huggingface"), environment)
        return expand(environment["HF_HUB_CACHE"] ?? environment["HUGGINGFACE_HUB_CACHE"] ?? join(hfHome, "hub"), environment)
    }

    /// `os.path.join(a, b)` for two parts.
    static func join(_ a: String, _ b: String) -> String {
        if b.hasPrefix("/") || a.isEmpty { return b }
        return a.hasSuffix("/") ? a + b : a + "/" + b
    }

    /// `os.path.expandvars(os.path.expanduser(p))`.
    static func expand(_ p: String, _ environment: [String: String]) -> String {
        var path = p
        if path.hasPrefix("~") {
            let end = path.firstIndex(of: "/") ?? path.endIndex
            let user = String(path[path.index(after: path.startIndex)..<end])
            var dir: String?
            if user.isEmpty {
                dir = Paths.home(environment)
            } else if let pw = getpwnam(user), let d = pw.pointee.pw_dir {
                dir = String(cString: d)
            }
            if let dir {
                let rest = String(path[end...])
                path = (dir.hasSuffix("/") && rest.hasPrefix("/") ? String(dir.dropLast()) : dir) + rest
                if path.isEmpty { path = "/" }
            }
        }
        // `$name` and `${name}` with name of word characters; unknown variables stay as written.
        guard path.contains("$") else { return path }
        var out = ""
        var i = path.startIndex
        func isWord(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        while i < path.endIndex {
            let c = path[i]
            guard c == "$" else { out.append(c); i = path.index(after: i); continue }
            let next = path.index(after: i)
            if next < path.endIndex, path[next] == "{", let close = path[next...].firstIndex(of: "}") {
                let name = String(path[path.index(after: next)..<close])
                let whole = String(path[i...close])
                out += environment[name] ?? whole
                i = path.index(after: close)
                continue
            }
            var end = next
            while end < path.endIndex, isWord(path[end]) { end = path.index(after: end) }
            if end == next { out.append(c); i = next; continue }
            let name = String(path[next..<end])
            out += environment[name] ?? "$" + name
            i = end
        }
        return out
    }

    /// The cache folder of the model `id`: `models--{org}--{name}`.
    static func modelFolder(_ id: String, cache: String) -> String? {
        guard ModelReference.classify(id) == .hub else { return nil }
        return cache + "/models--" + id.split(separator: "/").joined(separator: "--")
    }

    /// The snapshot of `id` mlicense reads: the commit `refs/main` names, else the first other
    /// ref (sorted) whose snapshot exists, else the only snapshot (or, of several downloaded by
    /// sha with no ref, the first in sorted order holding a card). Nil when none is cached.
    static func snapshot(_ id: String, cache: String) -> (folder: String, revision: String, ref: String?)? {
        guard let dir = modelFolder(id, cache: cache) else { return nil }
        func commit(of ref: String) -> String? {
            guard let text = try? String(contentsOfFile: dir + "/refs/" + ref, encoding: .utf8) else { return nil }
            let sha = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            guard !sha.isEmpty, sha.allSatisfy(\.isHexDigit), isFolder(dir + "/snapshots/" + sha) else { return nil }
            return sha
        }
        if let sha = commit(of: "main") { return (dir + "/snapshots/" + sha, sha, "main") }
        for ref in listRefs(dir + "/refs", prefix: "").sorted() where ref != "main" {
            if let sha = commit(of: ref) { return (dir + "/snapshots/" + sha, sha, ref) }
        }
        let shas = list(dir + "/snapshots").filter { isFolder(dir + "/snapshots/" + $0) }.sorted()
        if let sha = shas.first(where: { exists(dir + "/snapshots/\($0)/README.md") }) ?? shas.first {
            return (dir + "/snapshots/" + sha, sha, nil)
        }
        return nil
    }

    /// Reads `id` from the cache at `cache`.
    static func model(_ id: String, cache: String) -> ExternalModel? {
        guard let snap = snapshot(id, cache: cache) else { return nil }
        var files: [String: [UInt8]] = [:]
        for name in modelFiles {
            if let bytes = read(snap.folder + "/" + name) { files[name] = bytes }
        }
        let noExist = (modelFolder(id, cache: cache) ?? "") + "/.no_exist/" + snap.revision
        let absent = modelFiles.filter { files[$0] == nil && exists(noExist + "/" + $0) }
        return ExternalModel(id: id, revision: snap.revision, location: snap.folder, files: files, absent: absent)
    }

    /// The lookup the linter uses: every base not resolved before the cache is read from it.
    static func lookup(environment: [String: String]) -> ExternalModelLookup {
        let cache = folder(environment: environment)
        return { id in model(id, cache: cache) }
    }

    /// The cards only (what the audit reads): a model's README.md in its snapshot.
    static func cardLookup(environment: [String: String]) -> BaseCardLookup {
        let cache = folder(environment: environment)
        return { id in
            guard let m = model(id, cache: cache), let card = m.files["README.md"] else { return nil }
            return (m.cardPath, card)
        }
    }

    /// When `folder` (a real path) is a snapshot of the cache (`…/models--org--name/snapshots/sha`,
    /// what `snapshot_download()` returns): the model's id and the revision.
    static func snapshotIdentity(_ folder: String) -> (id: String, revision: String)? {
        let parts = folder.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[parts.count - 2] == "snapshots", let id = modelID(cacheFolder: parts[parts.count - 3])
        else { return nil }
        return (id, parts[parts.count - 1])
    }

    /// `models--ORG--NAME` → `ORG/NAME`, the cache's folder naming (Hub names hold no `--`); nil
    /// for any other name.
    static func modelID(cacheFolder name: String) -> String? {
        guard name.hasPrefix("models--") else { return nil }
        let id = String(name.dropFirst("models--".count)).replacing("--", with: "/")
        return ModelReference.classify(id) == .hub ? id : nil
    }

    /// A snapshot folder of the cache as a repository snapshot: its files are symbolic links into
    /// `../../blobs/`, which are followed (only there); weights are never read, only their sizes.
    static func snapshotFiles(_ folder: String) throws -> RepositorySnapshot {
        var files: [SnapshotFile] = []
        func walk(_ rel: String, depth: Int) throws {
            guard depth < 32 else { return }
            let abs = rel.isEmpty ? folder : folder + "/" + rel
            for name in list(abs).sorted() {
                let path = rel.isEmpty ? name : rel + "/" + name
                var info = stat()
                guard stat(folder + "/" + path, &info) == 0 else { continue }  // a dangling link: skipped
                if info.st_mode & S_IFMT == S_IFDIR { try walk(path, depth: depth + 1); continue }
                guard info.st_mode & S_IFMT == S_IFREG else { continue }
                let size = UInt64(info.st_size)
                switch FileInterest.forPath(path) {
                case .text:
                    guard let bytes = read(folder + "/" + path) else { continue }
                    files.append(SnapshotFile(path: path, size: size, content: size > UInt64(bytes.count) ? .head(bytes) : .full(bytes)))
                case .header:
                    let fd = open(folder + "/" + path, O_RDONLY | O_CLOEXEC)
                    guard fd >= 0 else { continue }
                    defer { close(fd) }
                    let head = FileDescriptor.readAll(fd, limit: FileInterest.ggufHeaderLimit)
                    files.append(SnapshotFile(path: path, size: size, content: size > UInt64(head.count) ? .head(head) : .full(head)))
                default:
                    files.append(SnapshotFile(path: path, size: size, content: .notLoaded))
                }
            }
        }
        try walk("", depth: 0)
        return RepositorySnapshot(source: .directory, files: files)
    }

    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileDescriptor.readAll(fd, limit: FileInterest.textLimit)
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The names in folder `path` (without `.` and `..`), empty when it cannot be read.
    static func list(_ path: String) -> [String] {
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in String(cString: raw.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The ref names under `path` (refs can hold `/`, e.g. `refs/pr/1`).
    static func listRefs(_ path: String, prefix: String) -> [String] {
        list(path).flatMap { name -> [String] in
            isFolder(path + "/" + name) ? listRefs(path + "/" + name, prefix: prefix + name + "/") : [prefix + name]
        }
    }
}
