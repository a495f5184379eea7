#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// git itself, for what libgit2 1.5 cannot do (a shallow clone's history, index formats it does
/// not read): always installed where a hook runs.
struct GitCommand {
    /// The repository's git directory, passed as `--git-dir` (a hook's `GIT_DIR` may be relative);
    /// nil lets git find it from the current folder and the environment.
    let gitDirectory: String?
    /// The work tree, passed as `--work-tree` when there is one.
    let workDirectory: String?

    init(repository: Repository) {
        gitDirectory = repository.gitDirectory
        workDirectory = repository.workDirectory
    }

    init(gitDirectory: String?, workDirectory: String?) {
        self.gitDirectory = gitDirectory
        self.workDirectory = workDirectory
    }

    /// The whole standard output of `git <arguments>`; throws a ``GitError`` naming the command
    /// when git cannot be run or exits with a non-zero status.
    func output(_ arguments: [String], environment: [String: String] = [:], input: String = "/dev/null") throws -> [UInt8] {
        // Run through /usr/bin/env, which sets the extra variables.
        var full = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        full.append("git")
        if let gitDirectory { full.append("--git-dir=\(gitDirectory)") }
        if let workDirectory { full.append("--work-tree=\(workDirectory)") }
        full += arguments
        let name = "git " + (arguments.first ?? "")
        let child: GitChild
        do {
            child = try GitChild.spawn(full, input: input)
        } catch {
            throw GitError(function: name, message: "cannot run git: \(error)")
        }
        var bytes: [UInt8] = []
        while true {
            let (chunk, failed) = FileReader.readUpTo(child.output, limit: 1 << 16)
            bytes += chunk
            if failed || chunk.isEmpty { break }
        }
        close(child.output)
        let status = child.wait()
        guard status == 0 else {
            throw GitError(function: name, code: Int(status), message: "git \(arguments.joined(separator: " ")) exited with status \(status)")
        }
        return bytes
    }
}

/// A process run through `/usr/bin/env` with its standard output on a pipe, standard input and
/// error on /dev/null, in this process's environment.
final class GitChild {
    let pid: pid_t
    /// The read end of the child's standard output.
    let output: Int32
    /// The wait status, once the child has been reaped.
    private var status: Int32?

    private init(pid: pid_t, output: Int32) {
        self.pid = pid
        self.output = output
    }

    /// Starts `/usr/bin/env arguments…`, its standard input read from the file `input`.
    static func spawn(_ arguments: [String], input: String = "/dev/null") throws -> GitChild {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SpawnError(operation: "pipe", code: errno) }
        // Neither end may leak into other children; the write end reaches git as its stdout only.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            throw SpawnError(operation: "posix_spawn", code: rc)
        }
        return GitChild(pid: pid, output: fds[0])
    }

    /// Whether the child has not exited yet (reaps it when it has).
    func isRunning() -> Bool {
        guard status == nil else { return false }
        var s: Int32 = 0
        let r = waitpid(pid, &s, WNOHANG)
        if r == pid { status = s; return false }
        return r == 0
    }

    /// Waits for the child; its exit code, or the number of the signal that ended it.
    func wait() -> Int32 {
        var s: Int32 = status ?? 0
        if status == nil {
            while waitpid(pid, &s, 0) < 0, errno == EINTR {}
            status = s
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
        let signal = s & 0x7F
        return signal == 0 ? (s >> 8) & 0xFF : signal
    }
}

/// A system call that failed while starting a process.
struct SpawnError: Error, CustomStringConvertible {
    var operation: String
    var code: Int32
    var description: String { "\(operation): \(String(cString: strerror(code)))" }
}

extension GitCommand {
    /// The first `limit` bytes of the blob `hex` from `git cat-file blob`, which is stopped once
    /// they are read (git streams the blobs it stored whole; it inflates others first).
    func blobHead(_ hex: String, limit: Int) throws -> [UInt8] {
        var arguments = ["git"]
        if let gitDirectory { arguments.append("--git-dir=\(gitDirectory)") }
        let child: GitChild
        do {
            child = try GitChild.spawn(arguments + ["cat-file", "blob", hex])
        } catch {
            throw GitError(function: "git cat-file", message: "cannot run git: \(error)")
        }
        let bytes = FileReader.readUpTo(child.output, limit: limit).bytes
        let stopped = child.isRunning()
        if stopped { kill(child.pid, SIGTERM) }
        close(child.output)
        let status = child.wait()
        if !stopped, bytes.count < limit, status != 0 {
            throw GitError(function: "git cat-file", code: Int(status), message: "cannot read blob \(hex)")
        }
        return bytes
    }
}

/// Where git runs a repository's hooks.
public struct HooksLocation: Sendable, Hashable {
    /// The folder, absolute.
    public var path: String
    /// `core.hooksPath` as configured (it may be set per worktree), nil when unset.
    public var configured: String?
}

extension Repository {
    /// Where git runs this repository's (or this linked worktree's) hooks, as git itself says
    /// (`git rev-parse --git-path hooks`: `core.hooksPath` from every configuration file including
    /// `config.worktree`, `~` expanded, else the common directory's `hooks`). A relative
    /// `core.hooksPath` is resolved against the folder hooks run in: the work tree root, or the
    /// git directory of a bare repository.
    public func hooksLocation() throws -> HooksLocation {
        try HooksLocation.find(GitCommand(repository: self), base: workDirectory ?? gitDirectory)
    }
}

extension HooksLocation {
    /// ``Repository/hooksLocation()`` for the repository git finds from `path`, with git alone
    /// (for a repository libgit2 cannot open, SHA-256); also whether it is bare.
    public static func find(from path: String) throws -> (location: HooksLocation, isBare: Bool) {
        let probe = GitCommand(gitDirectory: nil, workDirectory: nil)
        let bare = line(try probe.output(["-C", path, "rev-parse", "--is-bare-repository"])) == "true"
        let base = line(try probe.output(["-C", path, "rev-parse", bare ? "--absolute-git-dir" : "--show-toplevel"]))
        let gitDir = line(try probe.output(["-C", path, "rev-parse", "--absolute-git-dir"]))
        return (try find(GitCommand(gitDirectory: gitDir, workDirectory: bare ? nil : base), base: base), bare)
    }

    static func find(_ git: GitCommand, base: String) throws -> HooksLocation {
        var path = line(try git.output(["rev-parse", "--git-path", "hooks"]))
        let configured = (try? git.output(["config", "--get", "core.hooksPath"])).map(line)
        if !path.hasPrefix("/") { path = base + "/" + path }
        return HooksLocation(path: path, configured: configured)
    }

    private static func line(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).trimmingSuffix(while: { $0 == "\n" || $0 == "\r" })
    }
}

private extension String {
    func trimmingSuffix(while drop: (Character) -> Bool) -> String {
        var s = Substring(self)
        while let last = s.last, drop(last) { s = s.dropLast() }
        return String(s)
    }
}
