import Foundation
@testable import MLicenseCLI
import MLicenseTestSupport
import Testing

@Suite("mlicense audit (command line)")
struct AuditCommandTests {
    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static func table(_ json: String) throws -> [String: (n: Int, q: Int)] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var rows: [String: (Int, Int)] = [:]
        for row in object["table"] as? [[String: Any]] ?? [] {
            rows[row["category"] as? String ?? ""] = (row["noncompliant"] as? Int ?? -1, row["qualified"] as? Int ?? -1)
        }
        return rows
    }

    @Test("a JSONL corpus: bases inside the corpus, in any order; every format")
    func jsonl() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("models.jsonl")
        try Self.write("""
            {"id": "q/ft-gguf", "cardData": {"license": "apache-2.0", "base_model": "f/ft", "base_model_relation": "quantized"}}
            {"id": "f/ft", "cardData": {"license": "apache-2.0", "base_model": "n/nd"}}
            {"id": "n/nd", "cardData": {"license": "cc-by-nc-nd-4.0"}}

            """, to: corpus)
        let json = Captured.run(["audit", corpus.path, "--format", "json"])
        #expect(json.status == 0, "\(json.err)")
        #expect(json.err.isEmpty, "no progress bar when stderr is not a terminal")
        let rows = try Self.table(json.out)
        #expect(rows["nd"]?.n == 2 && rows["nd"]?.q == 2, "the finetune and, through it, the quantization")
        #expect(rows["license-mismatch"]?.n == 3)
        let text = Captured.run(["audit", corpus.path])
        #expect(text.out.contains("mlicense audit: 3 models (finetune 1, merge 0, quantized 1, adapter 0, original 1)"))
        #expect(text.out.contains("ND "))
        #expect(Captured.run(["audit", corpus.path, "--format", "markdown"]).out.contains("| ND | 1/1 (100.0%) |"))
        let csv = Captured.run(["audit", corpus.path, "--format", "csv"])
        #expect(csv.out.contains("q/ft-gguf,quantized,apache-2.0,nd,1,,n/nd,cc-by-nc-nd-4.0,1"))
        let html = dir.appendingPathComponent("audit.html")
        let written = Captured.run(["audit", corpus.path, "--format", "html", "--output", html.path, "--jobs", "1"])
        #expect(written.status == 0 && written.out.isEmpty)
        #expect(try String(contentsOf: html, encoding: .utf8).contains("<svg"))
    }

    @Test("a folder corpus and a Hugging Face cache give the same table")
    func folderAndCache() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cards = [
            ("acme/nd-base", "---\nlicense: cc-by-nd-4.0\n---\n"),
            ("acme/ft", "---\nlicense: mit\nbase_model: acme/nd-base\n---\n"),
            ("acme/ft-gguf", "---\nlicense: mit\nbase_model: acme/ft\nbase_model_relation: quantized\n---\n"),
            ("acme/l31", "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
        ]
        // A folder of model folders.
        for (id, card) in cards { try Self.write(card, to: dir.appendingPathComponent("corpus/\(id)/README.md")) }
        // The same models in a Hugging Face cache layout: blobs, snapshots linking to them, refs/main.
        let hub = dir.appendingPathComponent("cache/hub")
        for (i, (id, card)) in cards.enumerated() {
            let repo = hub.appendingPathComponent("models--" + id.replacingOccurrences(of: "/", with: "--"))
            let commit = String(repeating: String(i), count: 40)
            try Self.write(card, to: repo.appendingPathComponent("blobs/b\(i)"))
            try FileManager.default.createDirectory(at: repo.appendingPathComponent("snapshots/\(commit)"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: repo.appendingPathComponent("snapshots/\(commit)/README.md").path,
                                                       withDestinationPath: "../../blobs/b\(i)")
            try Self.write(commit + "\n", to: repo.appendingPathComponent("refs/main"))
        }
        let folder = Captured.run(["audit", dir.appendingPathComponent("corpus").path, "--format", "json"])
        #expect(folder.status == 0, "\(folder.err)")
        for source in [hub.path, dir.appendingPathComponent("cache").path] {
            let cache = Captured.run(["audit", source, "--format", "json"])
            #expect(cache.status == 0, "\(cache.err)")
            #expect(try Self.table(cache.out).mapValues { [$0.n, $0.q] } == Self.table(folder.out).mapValues { [$0.n, $0.q] })
        }
        let bom = Captured.run(["lineage", dir.appendingPathComponent("corpus").path, "--format", "cyclonedx"])
        #expect(bom.status == 0)
        #expect(bom.out.contains("\"specVersion\": \"1.6\"") && bom.out.contains("\"type\": \"machine-learning-model\""))
        let rows = try Self.table(folder.out)
        #expect(rows["nd"]?.n == 2)
        #expect(rows["copyleft-style"]?.n == 1)
        #expect(folder.out.contains("\"model\": \"acme/ft-gguf\"") || folder.out.contains("\"model\":\"acme/ft-gguf\""))
    }

    @Test("bad sources and options fail with exit status 2; unreadable lines are reported and skipped")
    func errors() throws {
        #expect(Captured.run(["audit"]).status == 2)
        let missing = Captured.run(["audit", "/nonexistent/corpus.jsonl"])
        #expect(missing.status == 2 && missing.err.contains("no such file or folder"))
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("c.jsonl")
        try Self.write("{\"id\": \"a/b\"}\n[1, 2]\n{\"no\": \"id\"}\n{\"id\": \"c/d\"}", to: corpus)
        #expect(Captured.run(["audit", corpus.path, "--format", "xml"]).status == 2)
        #expect(Captured.run(["audit", corpus.path, "--jobs", "0"]).status == 2)
        let r = Captured.run(["audit", corpus.path, "--format", "json"])
        #expect(r.status == 0)
        #expect(r.err.contains("c.jsonl:2: not a JSON object"))
        #expect(r.err.contains("c.jsonl:3: the object has no `id`"))
        #expect(try Self.table(r.out)["license-mismatch"]?.q == 2, "a last line without a line break is read")
    }

    @Test("several folder sources form one corpus, each model named by its source")
    func severalFolders() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write("---\nlicense: cc-by-nd-4.0\n---\n", to: dir.appendingPathComponent("a/README.md"))
        try Self.write("---\nlicense: mit\nbase_model: x/base\n---\n", to: dir.appendingPathComponent("b/README.md"))
        try Self.write("---\nlicense: mit\nbase_model: x/base\n---\n", to: dir.appendingPathComponent("c/ft/README.md"))
        let a = dir.appendingPathComponent("a").path, b = dir.appendingPathComponent("b").path, c = dir.appendingPathComponent("c").path
        let r = Captured.run(["audit", a, b, c, "--format", "csv"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("\(a),original,cc-by-nd-4.0,license-mismatch,1"))
        #expect(r.out.contains("\(b),finetune,mit,license-mismatch,1"))
        #expect(r.out.contains("\(c)/ft,finetune,mit,license-mismatch,1"))
    }

    @Test("the audit is listed in the help")
    func help() {
        #expect(Captured.run(["--help"]).out.contains("  audit"))
        #expect(Captured.run(["audit", "--help"]).out.contains("USAGE: mlicense audit SOURCE..."))
    }
}
