import FoundationEssentials
import Glibc
import MLicenseCore
import MLicenseGit
import MLicenseKnowledge
import Synchronization

/// `mlicense audit`: the paper's Table 3 over a corpus of models.
enum AuditCommand {
    static let spec = CommandSpec(
        name: "audit", summary: "count license noncompliance over a corpus of models (the paper's Table 3)",
        usage: "mlicense audit SOURCE... [--format text|markdown|json|csv|html] [--output FILE] [--jobs N] [--config FILE] [--no-config]",
        options: [
            OptionSpec(name: "format", value: "FORMAT", help: "text (default), markdown, json, csv or html"),
            OptionSpec(name: "output", short: "o", value: "FILE", help: "write the report to FILE"),
            OptionSpec(name: "jobs", short: "j", value: "N", help: "threads to use (default: every core)"),
            OptionSpec(name: "config", value: "FILE", help: "use this configuration file (base-licenses, rules)"),
            OptionSpec(name: "no-config", help: "ignore .mlicense.yml files"),
        ],
        details: """
            SOURCE is a folder (every model folder below it, a clone of many repositories, or a Hugging Face \
            cache) or a .jsonl file with one Hub model-info object a line (GET /api/models?full=true&cardData=true). \
            Bases resolve inside the corpus first, then through .mlicense.yml, the registry and the local \
            Hugging Face cache. docs/AUDIT.md defines every category. Exit status 0 when the audit ran, 2 when it failed.
            """)

    static func run(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, spec, io) else { return 0 }
        guard !a.positionals.isEmpty else { throw UsageError(message: "audit needs a SOURCE: a folder or a .jsonl file") }
        let formatName = a.value("format") ?? "text"
        guard let format = AuditFormat(rawValue: formatName) else {
            throw UsageError(message: "--format must be one of \(AuditFormat.allCases.map(\.rawValue).joined(separator: ", ")), not `\(formatName)`")
        }
        var jobs: Int?
        if let j = a.value("jobs") {
            guard let n = Int(j), n >= 1 else { throw UsageError(message: "--jobs must be a whole number of at least 1, not `\(j)`") }
            jobs = n
        }
        let progress = Progress(enabled: isatty(2) == 1 && io.ownsProcess)
        var entries: [AuditEntry] = []
        for source in a.positionals {
            var info = stat()
            guard stat(source, &info) == 0 else { throw RunError(message: "\(source): no such file or folder") }
            if info.st_mode & S_IFMT == S_IFDIR {
                var found = try folderEntries(source, args: a, jobs: jobs, io: io, progress: progress)
                if a.positionals.count > 1 {
                    // Several folders: a model is named by its source too ("." would be ambiguous).
                    let prefix = source.hasSuffix("/") ? String(source.dropLast()) : source
                    func named(_ id: String) -> String { id == "." ? prefix : prefix + "/" + id }
                    for k in found.indices {
                        found[k].id = named(found[k].id)
                        for j in found[k].bases.indices { found[k].bases[j].corpusID = found[k].bases[j].corpusID.map(named) }
                    }
                }
                entries += found
            } else {
                entries += try jsonlEntries(source, size: Int(info.st_size), args: a, jobs: jobs, io: io, progress: progress)
            }
        }
        let result = Audit.tabulate(entries, licenses: AuditLicenseIndex(BuiltinKnowledge.shared))
        progress.finish()
        KeptUntilExit.keep((entries, result), io)
        if a.value("output") == nil, io.ownsProcess {
            // Streamed: a million models' findings are not held as one string.
            var failed = false
            AuditReport.render(result, format: format, version: CLI.version) { piece in
                if !failed, FileDescriptor.writeAll(1, Array(piece.utf8)) != 0 { failed = true }
            }
            return 0
        }
        guard let output = a.value("output") else {
            io.out(AuditReport.render(result, format: format, version: CLI.version))
            return 0
        }
        // Streamed into a temporary file beside FILE, which then replaces it whole.
        let slash = output.utf8.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { String(output[..<$0]) } ?? "."
        let name = slash.map { String(output[output.index(after: $0)...]) } ?? output
        let mask = umask(0)
        umask(mask)
        let problem = FixWriter.replace(folder: folder.isEmpty ? "/" : folder, name: name, with: [], mode: 0o666 & ~mask) { fd, _ in
            var rc: Int32 = 0
            AuditReport.render(result, format: format, version: CLI.version) { piece in
                if rc == 0 { rc = FileDescriptor.writeAll(fd, Array(piece.utf8)) }
            }
            return rc
        }
        if let problem { throw RunError(message: "\(output): cannot write the report: \(problem)") }
        return 0
    }

    /// The configuration for a JSONL corpus: `--config`, else none (defaults).
    static func configuration(_ a: ParsedArguments, io: CLI.IO) throws -> Configuration {
        guard !a.has("no-config"), let path = a.value("config") else { return Configuration() }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RunError(message: "\(path): cannot read the configuration file") }
        defer { close(fd) }
        let config = try Configuration.parse(FileDescriptor.readAll(fd), path: path)
        for w in config.warnings { io.err("mlicense: warning: \(w.location.display): \(w.message)\n") }
        return config
    }

    /// A JSONL corpus, read in blocks of whole lines: each block's lines are parsed over the cores,
    /// then every model is checked once all lines are read (a base may come after its derivative).
    static func jsonlEntries(_ path: String, size: Int, args: ParsedArguments, jobs: Int?, io: CLI.IO,
                             progress: Progress) throws -> [AuditEntry] {
        let config = try configuration(args, io: io)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RunError(message: "\(path): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // The records by block of lines: each block is freed once checked.
        var blocks: [[HubModelRecord]] = []
        var count = 0
        var errors: [HubLineError] = []
        var errorCount = 0
        var pending: [UInt8] = []
        var line = 1
        var readBytes = 0
        let block = 8 << 20
        var buffer = [UInt8](repeating: 0, count: block)
        progress.start(phase: "reading", total: size, unit: "bytes")
        func consume(_ chunk: [UInt8]) {
            var records: [HubModelRecord] = []
            defer {
                count += records.count
                blocks.append(records)
            }
            for r in HubModelInfo.parse(chunk: chunk, firstLine: line, jobs: jobs) {
                switch r {
                case .success(let m): records.append(m)
                case .failure(let e):
                    errorCount += 1
                    if errors.count < 5 { errors.append(e) }
                }
            }
            line += chunk.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        }
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, block) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RunError(message: "\(path): cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            readBytes += n
            pending.append(contentsOf: buffer[0..<n])
            if let lastBreak = pending.lastIndex(of: 0x0A) {
                let whole = Array(pending[...lastBreak])
                pending.removeSubrange(...lastBreak)
                consume(whole)
            }
            progress.update(done: readBytes, models: count)
        }
        if !pending.isEmpty { consume(pending) }
        for e in errors { io.err("mlicense: warning: \(path):\(e.line): \(e.message)\n") }
        if errorCount > errors.count { io.err("mlicense: warning: \(path): \(errorCount - errors.count) more lines not read\n") }
        progress.start(phase: "checking", total: count, unit: "models")
        let counter = progress
        var report: (@Sendable (Int) -> Void)?
        if counter.enabled { report = { @Sendable n in counter.add(n) } }
        let lookup: BaseCardLookup? = config.hfCache ? HFCache.cardLookup(environment: io.environment) : nil
        let corpus = AuditRun.CorpusLicenses(blocks)
        var entries: [AuditEntry] = []
        entries.reserveCapacity(count)
        for b in blocks.indices {
            let block = blocks[b]
            blocks[b] = []
            entries += AuditRun.entries(block, corpus: corpus, configuration: config, knowledge: BuiltinKnowledge.shared,
                                        cardLookup: lookup, jobs: jobs, progress: report)
        }
        return entries
    }

    /// A folder corpus: a Hugging Face cache (folders `models--ORG--NAME`, or their parent `hub`),
    /// else every model folder below it, checked as `mlicense check` checks them.
    static func folderEntries(_ path: String, args: ParsedArguments, jobs: Int?, io: CLI.IO, progress: Progress) throws -> [AuditEntry] {
        progress.start(phase: "reading", total: 0, unit: "models")
        if let snapshot = try HFCacheCorpus.snapshot(path) {
            let config = try configuration(args, io: io)
            let request = LintRun.request(snapshot, config, rootName: Paths.lastComponent(path), io: io)
            return AuditRun.entries(AuditRun.lint(request, jobs: jobs), knowledge: BuiltinKnowledge.shared)
        }
        let ws = try Workspace.open(path, source: nil, environment: io.environment)
        let snapshot = try ws.snapshot()
        let config = try LintRun.configuration(ws, snapshot, args, io)
        var request = LintRun.request(snapshot, config, rootName: ws.rootName, io: io)
        request.scope = ws.prefix
        let result = AuditRun.lint(request, jobs: jobs)
        KeptUntilExit.keep((snapshot, result), io)
        return AuditRun.entries(result, knowledge: BuiltinKnowledge.shared)
    }
}

/// A Hugging Face hub cache read as a corpus: each `models--ORG--NAME` folder's snapshot, chosen
/// as the linter's cache lookup chooses it (``HFCache/snapshot(_:cache:)``), becomes the model
/// folder `ORG/NAME`; its files are read as ``HFCache/snapshotFiles(_:)`` reads a snapshot.
enum HFCacheCorpus {
    static func snapshot(_ path: String) throws -> RepositorySnapshot? {
        let isCache = { (dir: String) in HFCache.list(dir).contains { $0.hasPrefix("models--") } }
        let root = !isCache(path) && isCache(path + "/hub") ? path + "/hub" : path
        let repos = HFCache.list(root).filter { $0.hasPrefix("models--") }.sorted()
        guard !repos.isEmpty else { return nil }
        var files: [SnapshotFile] = []
        for repo in repos {
            guard let id = HFCache.modelID(cacheFolder: repo), let snap = HFCache.snapshot(id, cache: root) else { continue }
            for f in try HFCache.snapshotFiles(snap.folder).files {
                files.append(SnapshotFile(path: id + "/" + f.path, size: f.size, content: f.content))
            }
        }
        return RepositorySnapshot(source: .directory, files: files)
    }
}

/// A progress bar on standard error (models read, rate, ETA), drawn only when standard error is a
/// terminal, at most ten times a second.
final class Progress: Sendable {
    let enabled: Bool
    private struct State {
        var phase = ""
        var unit = ""
        var total = 0
        var done = 0
        var models = 0
        var started: Double = 0
        var drawn: Double = 0
    }
    private let state = Mutex(State())

    init(enabled: Bool) { self.enabled = enabled }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    func start(phase: String, total: Int, unit: String) {
        guard enabled else { return }
        state.withLock { s in
            s = State(phase: phase, unit: unit, total: total, done: 0, models: 0, started: Self.now(), drawn: 0)
        }
    }

    func update(done: Int, models: Int) {
        guard enabled else { return }
        state.withLock { s in
            s.done = done
            s.models = models
            draw(&s, force: false)
        }
    }

    func add(_ n: Int) {
        guard enabled else { return }
        state.withLock { s in
            s.done += n
            s.models = s.done
            draw(&s, force: false)
        }
    }

    func finish() {
        guard enabled else { return }
        _ = FileDescriptor.writeAll(2, Array("\r\u{1B}[2K".utf8))
    }

    private func draw(_ s: inout State, force: Bool) {
        let t = Self.now()
        guard force || t - s.drawn >= 0.1 else { return }
        s.drawn = t
        let elapsed = max(t - s.started, 1e-6)
        let rate = Double(s.models) / elapsed
        var line = "\r\u{1B}[2K\(s.phase) "
        if s.total > 0 {
            let fraction = min(1, Double(s.done) / Double(s.total))
            let width = 28
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += "\(Int(fraction * 100))% "
            let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
            line += "\(s.models) models, \(Int(rate))/s, ETA \(Int(eta.rounded()))s"
        } else {
            line += "\(s.models) models"
        }
        _ = FileDescriptor.writeAll(2, Array(line.utf8))
    }
}
