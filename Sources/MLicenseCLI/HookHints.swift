import Glibc

/// The file names the pre-commit framework passes to `mlicense hook pre-commit`.
enum HookFiles {
    /// `names` (relative to the current folder, which is the work tree root when a hook runs) as
    /// paths relative to the work tree root; names outside it are left out.
    static func repositoryPaths(_ names: [String], workdir: String) -> [String] {
        guard !names.isEmpty else { return [] }
        let root = Paths.real(workdir)
        return names.compactMap { name -> String? in
            let abs = Paths.absolute(name)
            let r = root.hasSuffix("/") ? root : root + "/"
            if abs.hasPrefix(r) { return String(abs.dropFirst(r.count)) }
            // A symbolic link on the way to the root (/tmp → /private/tmp): compare real folders.
            let folder = Paths.real(SnapshotPaths.folder(abs))
            let inside = folder == root || folder.hasPrefix(r)
            guard inside else { return nil }
            let relFolder = folder == root ? "" : String(folder.dropFirst(r.count))
            let last = Paths.lastComponent(abs)
            return relFolder.isEmpty ? last : relFolder + "/" + last
        }
    }

    /// Whether the hook reads the work tree rather than the index: when files were named and no
    /// `git commit` is running (git sets `GIT_INDEX_FILE` for its pre-commit hook), i.e.
    /// `pre-commit run --all-files` or `--files` by hand or in CI, which check the files as they
    /// are. A commit always checks what it stages.
    static func readsWorkTree(named: [String], environment: [String: String]) -> Bool {
        !named.isEmpty && (environment["GIT_INDEX_FILE"] ?? "").isEmpty
    }
}

/// Folder-of-path for absolute paths (`/a/b` → `/a`, `/a` → `/`).
enum SnapshotPaths {
    static func folder(_ p: String) -> String {
        guard let slash = p.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        let f = String(p[..<slash])
        return f.isEmpty ? "/" : f
    }
}

/// The hints a blocking hook prints, fitted to where it runs: under the pre-commit framework the
/// way to skip is `SKIP=<hook id>`; the commands name the binary by its real path unless `mlicense`
/// on PATH is the same program.
enum HookHints {
    /// The last line of a blocked commit or push.
    static func blocked(what: String, code: String, hookID: String?, environment: [String: String]) -> String {
        let me = invocation(environment: environment)
        var text = "mlicense blocked this \(what). `\(me) explain \(code)` says why; `\(me) check --fix` applies the safe fixes"
        let verb = what == "commit" ? "commit" : "push"
        if environment["PRE_COMMIT"] == "1" {
            text += "; `SKIP=\(hookID ?? "mlicense") git \(verb) …` skips the check"
        } else {
            text += "; `git \(verb) --no-verify` skips the check"
        }
        return text
    }

    /// `mlicense` when that name on PATH is this program, else this program's real path.
    static func invocation(environment: [String: String]) -> String {
        guard let me = executablePath() else { return "mlicense" }
        for dir in (environment["PATH"] ?? "").split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = String(dir) + "/mlicense"
            guard access(candidate, X_OK) == 0 else { continue }
            return Paths.real(candidate) == me ? "mlicense" : me
        }
        return me
    }

    /// The running executable's real path (`/proc/self/exe`).
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
