import Foundation
@testable import MLicenseCLI
import MLicenseCore
import MLicenseTestSupport
import Testing

/// A card for the emulator: its `cardData` and the README.md that says the same.
func hubCard(_ license: String, bases: [String] = [], relation: String? = nil) -> (data: [String: Any], readme: String) {
    var data: [String: Any] = ["license": license]
    var readme = "---\nlicense: \(license)\n"
    if !bases.isEmpty {
        data["base_model"] = bases.count == 1 ? bases[0] : bases
        readme += "base_model:\n" + bases.map { "- \($0)\n" }.joined()
    }
    if let relation {
        data["base_model_relation"] = relation
        readme += "base_model_relation: \(relation)\n"
    }
    return (data, readme + "---\n# model\n")
}

/// A model of the emulator whose info and README.md agree.
func hubModel(_ license: String, bases: [String] = [], sha: String, extra: [String: Any] = [:]) -> [String: Any] {
    let c = hubCard(license, bases: bases)
    return HubEmulator.model(sha: sha, card: c.data, files: ["README.md": c.readme], extra: extra)
}

/// The `ancestors` of the first model of a JSON report, each as a dictionary of strings.
func ancestors(_ json: String) -> [[String: String]] {
    guard let o = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
          let models = o["models"] as? [[String: Any]], let a = models.first?["ancestors"] as? [[String: Any]] else { return [] }
    return a.map { $0.mapValues { v in v is NSNull ? "null" : (v as? [Any]).map { $0.map { "\($0)" }.joined(separator: ",") } ?? "\(v)" } }
}

/// A sha of 40 hex digits from `n`.
func sha(_ n: Int) -> String { String(repeating: String(n % 10), count: 40) }

/// A temporary folder holding a model repository (outside git).
final class ModelFolder: @unchecked Sendable {
    let path: String
    init(_ files: [String: String]) throws {
        path = FileManager.default.temporaryDirectory.path + "/mlicense-lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (p, text) in files {
            let full = path + "/" + p
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var lock: String? { try? String(contentsOfFile: path + "/mlicense.lock", encoding: .utf8) }
}

@Suite("mlicense lock against the Hub emulator", .serialized)
struct LockTests {
    static let relabelled = "---\nlicense: apache-2.0\nbase_model: midorg/relabelled-ft\n---\n# chat\n"

    @Test("a Llama 3.1 finetune relabelled apache-2.0 one hop up blocks the derivative after `mlicense lock`")
    func launderedOneHop() throws {
        let hub = try HubEmulator(models: [
            "midorg/relabelled-ft": hubModel("apache-2.0", bases: ["meta-llama/Llama-3.1-8B-Instruct"], sha: sha(1)),
            "meta-llama/Llama-3.1-8B-Instruct": hubModel("llama3.1", sha: sha(2), extra: ["gated": "manual"]),
        ])
        let repo = try ModelFolder(["README.md": Self.relabelled])
        let env = ["HF_ENDPOINT": hub.endpoint]
        // Before the lock: one hop only, the relabel is trusted (and the base is unknown).
        let before = Captured.run(["check", repo.path, "--format", "json"], env: env)
        #expect(before.status == 0, "\(before.out)")
        let lock = Captured.run(["lock", repo.path], env: env)
        #expect(lock.status == 0, "\(lock.err)")
        #expect(lock.out.contains("2 ancestors (2 from hub)"))
        let text = try #require(repo.lock)
        #expect(text.contains("  - id: \"meta-llama/Llama-3.1-8B-Instruct\"\n    revision: \"\(sha(2))\"\n    license: \"llama3.1\"\n"))
        #expect(text.contains("  - id: \"midorg/relabelled-ft\"\n    revision: \"\(sha(1))\"\n    license: \"apache-2.0\"\n    bases:\n      - \"meta-llama/Llama-3.1-8B-Instruct\"\n    source: \"hub\"\n"), "\(text)")
        let requests = hub.requests().count
        let after = Captured.run(["check", repo.path], env: env)
        #expect(after.status == 1)
        #expect(after.out.contains("error[ML204]"))
        #expect(after.out.contains("meta-llama/Llama-3.1-8B-Instruct (llama3.1) → midorg/relabelled-ft (declares apache-2.0) → this model"), "\(after.out)")
        #expect(after.out.contains("midorg/relabelled-ft dropped its terms"))
        // `check` made no request.
        #expect(hub.requests().count == requests)
        // The JSON report has the ancestors.
        let json = Captured.run(["check", repo.path, "--format", "json"], env: env).out
        let a = ancestors(json)
        #expect(a.count == 2)
        #expect(a.first?["id"] == "midorg/relabelled-ft" && a.first?["license"] == "apache-2.0" && a.first?["licenseSource"] == "lock")
        #expect(a.first?["revision"] == sha(1) && a.first?["depth"] == "1" && a.first?["bases"] == "meta-llama/Llama-3.1-8B-Instruct")
        #expect(a.last?["id"] == "meta-llama/Llama-3.1-8B-Instruct" && a.last?["baseOf"] == "midorg/relabelled-ft")
        #expect(a.last?["droppedBy"] == "midorg/relabelled-ft", "\(a)")
        // lineage shows the tree.
        let lineage = Captured.run(["lineage", repo.path], env: env).out
        #expect(lineage.contains("  ancestry:\n    midorg/relabelled-ft: apache-2.0 (lock"), "\(lineage)")
        #expect(lineage.contains("\n      meta-llama/Llama-3.1-8B-Instruct: llama3.1 (lock"))
    }

    @Test("CC-BY-NC three hops up blocks; a compliant chain passes; two runs give the same bytes")
    func threeHopsAndCompliant() throws {
        let hub = try HubEmulator(models: [
            "a/one": hubModel("apache-2.0", bases: ["b/two"], sha: sha(1)),
            "b/two": hubModel("mit", bases: ["c/three"], sha: sha(2)),
            "c/three": hubModel("cc-by-nc-4.0", sha: sha(3)),
            "good/ft": hubModel("cc-by-nc-4.0", bases: ["c/three"], sha: sha(4)),
        ])
        let env = ["HF_ENDPOINT": hub.endpoint]
        let bad = try ModelFolder(["README.md": "---\nlicense: apache-2.0\nbase_model: a/one\n---\n"])
        #expect(Captured.run(["lock", bad.path], env: env).status == 0)
        let first = bad.lock
        #expect(Captured.run(["lock", bad.path], env: env).status == 0)
        #expect(bad.lock == first)
        let r = Captured.run(["check", bad.path], env: env)
        #expect(r.status == 1 && r.out.contains("error[ML203]"))
        #expect(r.out.contains("c/three (cc-by-nc-4.0) → b/two (declares mit) → a/one (declares apache-2.0) → this model"), "\(r.out)")
        let good = try ModelFolder(["README.md": "---\nlicense: cc-by-nc-4.0\nbase_model: good/ft\n---\n"])
        #expect(Captured.run(["lock", good.path], env: env).status == 0)
        let g = Captured.run(["check", good.path], env: env)
        #expect(g.status == 0, "\(g.out)")
        #expect(!g.out.contains("ML103"))
    }

    @Test("a chain of ten ancestors through the Hub, locked and checked")
    func tenAncestors() throws {
        var models: [String: Any] = [:]
        for i in 0..<10 { models["org/m\(i)"] = hubModel("apache-2.0", bases: i < 9 ? ["org/m\(i + 1)"] : [], sha: sha(i)) }
        let hub = try HubEmulator(models: models)
        let repo = try ModelFolder(["README.md": "---\nlicense: apache-2.0\nbase_model: org/m0\n---\n"])
        let start = Date()
        let r = Captured.run(["lock", repo.path], env: ["HF_ENDPOINT": hub.endpoint])
        let seconds = Date().timeIntervalSince(start)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("10 ancestors"))
        #expect(seconds < 5, "lock took \(seconds) s")
        let lineage = Captured.run(["lineage", repo.path, "--format", "json"], env: ["HF_ENDPOINT": hub.endpoint]).out
        let last = ancestors(lineage).last
        #expect(last?["id"] == "org/m9" && last?["licenseSource"] == "lock" && last?["revision"] == sha(9) && last?["depth"] == "10", "\(lineage)")
    }

    @Test("lock --check: up to date, then the upstream license and revision change and it exits 1, writing nothing")
    func checkNoticesUpstreamChanges() throws {
        var models: [String: Any] = [
            "a/one": hubModel("apache-2.0", bases: ["c/three"], sha: sha(1)),
            "c/three": hubModel("apache-2.0", sha: sha(3)),
        ]
        let hub = try HubEmulator(models: models)
        let env = ["HF_ENDPOINT": hub.endpoint]
        let repo = try ModelFolder(["README.md": "---\nlicense: apache-2.0\nbase_model: a/one\n---\n"])
        let missing = Captured.run(["lock", repo.path, "--check"], env: env)
        #expect(missing.status == 1 && missing.out.contains("missing"))
        #expect(Captured.run(["lock", repo.path], env: env).status == 0)
        let locked = repo.lock
        let ok = Captured.run(["lock", repo.path, "--check"], env: env)
        #expect(ok.status == 0 && ok.out.contains("up to date (2 ancestors)"), "\(ok.out)")
        models["c/three"] = hubModel("cc-by-nc-4.0", sha: sha(7))
        try hub.serve(models)
        let changed = Captured.run(["lock", repo.path, "--check"], env: env)
        #expect(changed.status == 1)
        #expect(changed.out.contains("c/three changed: license cc-by-nc-4.0 (the lock says apache-2.0); revision \(sha(7)) (the lock says \(sha(3)))"), "\(changed.out)")
        #expect(repo.lock == locked)
        // A new ancestor upstream is a missing one.
        models["c/three"] = hubModel("apache-2.0", bases: ["d/four"], sha: sha(3))
        models["d/four"] = hubModel("mit", sha: sha(4))
        try hub.serve(models)
        let grown = Captured.run(["lock", repo.path, "--check"], env: env)
        #expect(grown.status == 1 && grown.out.contains("missing ancestor d/four"), "\(grown.out)")
    }

    @Test("gated and private repositories: the token is sent as a bearer to the endpoint only, and never written or printed")
    func gatedAndToken() throws {
        let c = hubCard("cc-by-sa-4.0")
        let hub = try HubEmulator(models: [
            "a/gated": HubEmulator.model(sha: sha(1), card: nil, files: ["README.md": c.readme], extra: ["gated": "manual", "token": "hf_secret"]),
            "a/private": hubModel("mit", sha: sha(2), extra: ["private": true, "token": "hf_secret"]),
        ])
        let repo = try ModelFolder(["README.md": "---\nlicense: mit\nbase_model:\n- a/gated\n- a/private\n---\n"])
        let anonymous = Captured.run(["lock", repo.path], env: ["HF_ENDPOINT": hub.endpoint])
        #expect(anonymous.status == 1)
        #expect(anonymous.err.contains("a/gated: cannot read README.md: the Hub answered 403: the repository is gated or private; set HF_TOKEN"), "\(anonymous.err)")
        #expect(anonymous.err.contains("a/private: the Hub answered 404 (RepoNotFound)"), "\(anonymous.err)")
        let withToken = Captured.run(["lock", repo.path], env: ["HF_ENDPOINT": hub.endpoint, "HF_TOKEN": "hf_secret"])
        #expect(withToken.status == 0, "\(withToken.err)")
        let text = try #require(repo.lock)
        #expect(text.contains("license: \"cc-by-sa-4.0\"") && text.contains("license: \"mit\""))
        #expect(!text.contains("hf_secret") && !withToken.out.contains("hf_secret") && !withToken.err.contains("hf_secret"))
        let sent = hub.requests().filter { $0.authorization != nil }
        #expect(!sent.isEmpty && sent.allSatisfy { $0.authorization == "Bearer hf_secret" })
        let r = Captured.run(["check", repo.path], env: ["HF_ENDPOINT": hub.endpoint])
        #expect(r.out.contains("error[ML202]"), "\(r.out)")
    }

    @Test("404 with X-Error-Code, 429 with Retry-After (bounded retries), redirects of renamed repositories, timeouts")
    func errorResponses() throws {
        let hub = try HubEmulator(models: [
            "a/limited": hubModel("mit", sha: sha(1), extra: ["rate_limit": 2]),
            "a/always-limited": hubModel("mit", sha: sha(2), extra: ["rate_limit": 100]),
            "a/old-name": ["renamed_to": "a/new-name"],
            "a/new-name": hubModel("apache-2.0", sha: sha(3)),
            "a/slow": hubModel("mit", sha: sha(4), extra: ["delay": 2]),
        ])
        let repo = try ModelFolder(["README.md": "---\nlicense: mit\nbase_model:\n- a/limited\n- a/always-limited\n- a/old-name\n- a/missing\n- a/slow\n- meta-llama/Llama-2-7b-hf\n---\n"])
        let r = Captured.run(["lock", repo.path], env: ["HF_ENDPOINT": hub.endpoint, "HF_HUB_DOWNLOAD_TIMEOUT": "0.5"])
        #expect(r.status == 1)
        #expect(r.err.contains("a/always-limited: the Hub kept answering 429 (rate limited) after 3 retries"), "\(r.err)")
        #expect(r.err.contains("a/missing: the Hub answered 404 (RepoNotFound)"))
        #expect(r.err.contains("a/slow: the Hub did not answer within 0 s") || r.err.contains("a/slow: the Hub did not answer"), "\(r.err)")
        #expect(r.err.contains("a/old-name is now a/new-name on the Hub (renamed)"))
        // Unknown to the Hub emulator, known to the registry: recorded from it, with the reason.
        #expect(r.err.contains("meta-llama/Llama-2-7b-hf: the Hub answered 404 (RepoNotFound)") && r.err.contains("recorded from the registry"))
        let text = try #require(repo.lock)
        #expect(text.contains("  - id: \"a/old-name\"\n    revision: \"\(sha(3))\"\n    license: \"apache-2.0\"\n"))
        #expect(text.contains("  - id: \"a/limited\"\n    revision: \"\(sha(1))\""))
        #expect(text.contains("  - id: \"meta-llama/Llama-2-7b-hf\"\n    license: \"llama2\"\n    bases: []\n    source: \"registry\"\n"))
        #expect(!text.contains("a/missing") && !text.contains("a/always-limited"))
        let infos = hub.requests().filter { $0.path.hasPrefix("/api/models/") }
        #expect(infos.filter { $0.path.contains("a/limited") }.count == 3)
        #expect(infos.filter { $0.path.contains("a/always-limited") }.count == 4)
    }

    @Test("HF_HUB_OFFLINE=1: no request at all; the cache and the registry only, and what stays unresolved is said")
    func offline() throws {
        let hub = try HubEmulator(models: ["a/one": hubModel("mit", sha: sha(1))])
        let cache = try ModelFolder([
            "models--a--cached/refs/main": sha(5),
            "models--a--cached/snapshots/\(sha(5))/README.md": "---\nlicense: cc-by-nc-4.0\n---\n",
        ])
        let repo = try ModelFolder(["README.md": "---\nlicense: mit\nbase_model:\n- a/one\n- a/cached\n- meta-llama/Llama-2-7b-hf\n---\n"])
        let env = ["HF_ENDPOINT": hub.endpoint, "HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": cache.path]
        let r = Captured.run(["lock", repo.path], env: env)
        #expect(r.status == 1)
        #expect(r.err.contains("a/one: not in the Hugging Face cache or the registry (HF_HUB_OFFLINE is set); left unresolved"), "\(r.err)")
        #expect(hub.requests().isEmpty)
        let text = try #require(repo.lock)
        #expect(text.contains("  - id: \"a/cached\"\n    revision: \"\(sha(5))\"\n    license: \"cc-by-nc-4.0\"\n    bases: []\n    source: \"hf-cache\"\n"), "\(text)")
        #expect(text.contains("source: \"registry\""))
        let check = Captured.run(["lock", repo.path, "--check"], env: env)
        #expect(check.status == 1 && check.out.contains("missing ancestor a/one"), "\(check.out)")
        #expect(hub.requests().isEmpty)
    }

    @Test("the pre-commit hook reads the staged lock and makes no request")
    func hookReadsStagedLock() throws {
        let hub = try HubEmulator(models: [
            "midorg/relabelled-ft": hubModel("apache-2.0", bases: ["meta-llama/Llama-3.1-8B-Instruct"], sha: sha(1)),
            "meta-llama/Llama-3.1-8B-Instruct": hubModel("llama3.1", sha: sha(2)),
        ])
        let repo = try TemporaryGitRepository()
        try repo.write("README.md", Self.relabelled)
        let env = ["HF_ENDPOINT": hub.endpoint, "HF_HUB_CACHE": "/nonexistent"]
        #expect(repo.mlicense(["lock"], environment: env).status == 0)
        let requests = hub.requests().count
        _ = try repo.git("add", "README.md")
        // Not staged yet: the hook does not see the lock in the work tree.
        let unstaged = repo.mlicense(["hook", "pre-commit"], environment: env)
        #expect(unstaged.status == 0, "\(unstaged.stderr)")
        #expect(unstaged.stderr.contains("warning[ML103]") && unstaged.stderr.contains("mlicense lock"), "\(unstaged.stderr)")
        _ = try repo.git("add", "mlicense.lock")
        let staged = repo.mlicense(["hook", "pre-commit"], environment: env)
        #expect(staged.status == 1)
        #expect(staged.stderr.contains("→ midorg/relabelled-ft (declares apache-2.0) → this model"), "\(staged.stderr)")
        #expect(hub.requests().count == requests)
    }
}

@Suite("huggingface_hub and the Hugging Face cache", .serialized)
struct HubClientCompatibilityTests {
    /// Runs `script` with the venv's Python; nil when huggingface_hub is not importable.
    func python(_ script: String, env: [String: String] = [:]) throws -> (status: Int32, out: String, err: String)? {
        let check = Programs.run(HubEmulator.python, ["-c", "import huggingface_hub"], cwd: "/", environment: ProcessInfo.processInfo.environment)
        guard check.status == 0 else { return nil }
        let r = Programs.run(HubEmulator.python, ["-c", script], cwd: "/", environment: ProcessInfo.processInfo.environment.merging(env) { $1 })
        return (r.status, r.stdout, r.stderr)
    }

    @Test("the real huggingface_hub client accepts the emulator, and the cache it fills is read transitively")
    func realClientFillsCache() throws {
        let ft = hubCard("apache-2.0", bases: ["x/sa-base"])
        let base = hubCard("cc-by-sa-4.0")
        let hub = try HubEmulator(models: [
            "x/relabelled": HubEmulator.model(sha: sha(1), card: ft.data, files: ["README.md": ft.readme, "config.json": "{}"]),
            "x/sa-base": HubEmulator.model(sha: sha(2), card: base.data, files: ["README.md": base.readme]),
        ])
        let cache = try ModelFolder([:])
        let script = """
            import json, sys
            from huggingface_hub import HfApi, hf_hub_download
            api = HfApi(endpoint=sys.argv[1] if len(sys.argv) > 1 else "\(hub.endpoint)")
            info = api.model_info("x/relabelled", revision="main")
            print(json.dumps({"sha": info.sha, "license": info.card_data["license"], "base_model": info.card_data["base_model"]}))
            hf_hub_download("x/sa-base", "README.md", cache_dir="\(cache.path)", endpoint="\(hub.endpoint)")
            # What snapshot_download() returns: the snapshot folder the files are linked into.
            hf_hub_download("x/relabelled", "config.json", cache_dir="\(cache.path)", endpoint="\(hub.endpoint)")
            import os
            print(os.path.dirname(hf_hub_download("x/relabelled", "README.md", cache_dir="\(cache.path)", endpoint="\(hub.endpoint)")))
            """
        guard let r = try python(script, env: ["HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_DISABLE_XET": "1"]) else {
            Issue.record("no Python with huggingface_hub: set MLICENSE_HF_PYTHON or pip install huggingface_hub into /tmp/mlicense-hf-venv")
            return
        }
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "{\"sha\": \"\(sha(1))\", \"license\": \"apache-2.0\", \"base_model\": \"x/sa-base\"}", "\(r.out)")
        let snapshot = try #require(lines.last)
        #expect(snapshot.hasSuffix("/models--x--relabelled/snapshots/\(sha(1))"))
        // A derivative of the cached relabel: the chain is read from the cache, two hops.
        let repo = try ModelFolder(["README.md": "---\nlicense: apache-2.0\nbase_model: x/relabelled\n---\n"])
        let check = Captured.run(["check", repo.path], env: ["HF_HUB_CACHE": cache.path])
        #expect(check.status == 1)
        #expect(check.out.contains("error[ML202]") && check.out.contains("x/sa-base (cc-by-sa-4.0) → x/relabelled (declares apache-2.0) → this model"), "\(check.out)")
        // A cache path with `~`, expanded as huggingface_hub expands it.
        let home = (cache.path as NSString).deletingLastPathComponent
        let viaHome = try ModelFolder([:])
        try FileManager.default.createSymbolicLink(atPath: viaHome.path + "/hub", withDestinationPath: cache.path)
        let tilde = "~/" + (viaHome.path as NSString).lastPathComponent
        let c2 = Captured.run(["check", repo.path], env: ["HOME": home, "HF_HUB_CACHE": tilde + "/hub"])
        #expect(c2.out.contains("error[ML202]"), "\(c2.out)")
        // The folder snapshot_download() returned is a model that mlicense checks.
        let own = Captured.run(["check", snapshot], env: ["HF_HUB_CACHE": cache.path])
        #expect(own.status == 1 && own.out.contains("error[ML202]"), "\(own.out)")
        let lineage = Captured.run(["lineage", snapshot], env: ["HF_HUB_CACHE": cache.path])
        #expect(lineage.out.hasPrefix("snapshot: \(snapshot) (x/relabelled at \(sha(1)), from the Hugging Face cache)\n"), "\(lineage.out)")
        #expect(lineage.out.contains(" (relabelled)\n  license: apache-2.0\n"), "\(lineage.out)")
        #expect(lineage.out.contains("    read from \(cache.path)/models--x--sa-base/snapshots/\(sha(2))/README.md"), "\(lineage.out)")
    }
}

@Suite("The Hugging Face cache as huggingface_hub finds it")
struct HFCacheTests {
    @Test("the cache folder: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME, XDG_CACHE_HOME, ~/.cache, with ~ and $VAR")
    func folder() {
        let home = ["HOME": "/h"]
        #expect(HFCache.folder(environment: home) == "/h/.cache/huggingface/hub")
        #expect(HFCache.folder(environment: home.merging(["XDG_CACHE_HOME": "/x"]) { $1 }) == "/x/huggingface/hub")
        #expect(HFCache.folder(environment: home.merging(["XDG_CACHE_HOME": "/x", "HF_HOME": "~/hf"]) { $1 }) == "/h/hf/hub")
        #expect(HFCache.folder(environment: home.merging(["HF_HOME": "$D/hf", "D": "/data"]) { $1 }) == "/data/hf/hub")
        #expect(HFCache.folder(environment: home.merging(["HF_HOME": "${D}/hf", "D": "/data"]) { $1 }) == "/data/hf/hub")
        #expect(HFCache.folder(environment: home.merging(["HF_HOME": "$UNSET/hf"]) { $1 }) == "$UNSET/hf/hub")
        #expect(HFCache.folder(environment: home.merging(["HUGGINGFACE_HUB_CACHE": "~/legacy", "HF_HOME": "/hf"]) { $1 }) == "/h/legacy")
        #expect(HFCache.folder(environment: home.merging(["HF_HUB_CACHE": "/new", "HUGGINGFACE_HUB_CACHE": "/legacy"]) { $1 }) == "/new")
    }

    @Test("the cache folder agrees with huggingface_hub's constants for the same environment")
    func agreesWithHuggingFaceHub() throws {
        let check = Programs.run(HubEmulator.python, ["-c", "import huggingface_hub"], cwd: "/", environment: ProcessInfo.processInfo.environment)
        guard check.status == 0 else { Issue.record("no Python with huggingface_hub"); return }
        let cases: [[String: String]] = [
            ["HOME": "/h"], ["HOME": "/h", "XDG_CACHE_HOME": "/x"], ["HOME": "/h", "HF_HOME": "~/hf"],
            ["HOME": "/h", "HF_HOME": "$D/hf", "D": "/data"], ["HOME": "/h", "HUGGINGFACE_HUB_CACHE": "~/legacy"],
            ["HOME": "/h", "HF_HUB_CACHE": "${D}/c", "D": "/d", "HF_HOME": "/ignored"],
        ]
        for env in cases {
            let r = Programs.run(HubEmulator.python, ["-c", "from huggingface_hub import constants; print(constants.HF_HUB_CACHE)"],
                                 cwd: "/", environment: env.merging(["PATH": "/usr/bin:/bin"]) { $1 })
            #expect(r.stdout == HFCache.folder(environment: env) + "\n", "\(env): \(r.stderr)")
        }
    }

    @Test("refs/main, another ref, a snapshot with no ref, and .no_exist markers")
    func revisions() throws {
        let c = try ModelFolder([
            "models--a--main/refs/main": sha(1) + "\n",
            "models--a--main/refs/pr/1": sha(2),
            "models--a--main/snapshots/\(sha(1))/README.md": "---\nlicense: mit\n---\n",
            "models--a--main/snapshots/\(sha(2))/README.md": "---\nlicense: gpl-3.0\n---\n",
            "models--a--pr/refs/pr/1": sha(2),
            "models--a--pr/snapshots/\(sha(2))/README.md": "---\nlicense: gpl-3.0\n---\n",
            "models--a--sha/snapshots/\(sha(3))/config.json": "{}",
            "models--a--sha/snapshots/\(sha(4))/README.md": "---\nlicense: bsd-3-clause\nbase_model: a/main\n---\n",
            "models--a--nocard/refs/main": sha(5),
            "models--a--nocard/snapshots/\(sha(5))/config.json": "{}",
            "models--a--nocard/.no_exist/\(sha(5))/README.md": "",
        ])
        #expect(HFCache.snapshot("a/main", cache: c.path)?.revision == sha(1))
        #expect(HFCache.snapshot("a/pr", cache: c.path).map { ($0.revision, $0.ref) } ?? ("", nil) == (sha(2), "pr/1"))
        let bySha = try #require(HFCache.model("a/sha", cache: c.path))
        #expect(bySha.revision == sha(4) && bySha.files["README.md"] != nil)
        let nocard = try #require(HFCache.model("a/nocard", cache: c.path))
        #expect(nocard.absent == ["README.md"] && nocard.files["config.json"] != nil)
        #expect(HFCache.model("a/absent", cache: c.path) == nil)
        #expect(HFCache.model("../../etc", cache: c.path) == nil)
        // Followed transitively: a/sha's own base a/main is read from the cache too.
        let repo = try ModelFolder(["README.md": "---\nlicense: mit\nbase_model: a/sha\n---\n"])
        let json = Captured.run(["lineage", repo.path, "--format", "json"], env: ["HF_HUB_CACHE": c.path]).out
        let main = ancestors(json).last
        #expect(main?["id"] == "a/main" && main?["license"] == "mit" && main?["licenseSource"] == "hf-cache" && main?["revision"] == sha(1), "\(json)")
    }
}
