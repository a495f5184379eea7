@testable import MLicenseCore
import MLicenseKnowledge
import MLicenseTestSupport
import Testing

/// The linter checks models in chunks over the cores; what it reports must not depend on it.
@Suite("Parallel linting")
struct ParallelLintTests {
    /// A monorepo of `count` model folders of many kinds: finetunes, adapters, merges, quantized
    /// copies, originals, models naming each other, broken cards and configs.
    static func monorepo(count: Int) -> RepositorySnapshot {
        let licenses = ["apache-2.0", "mit", "llama3.1", "gemma", "cc-by-nc-4.0", "other", "unknown", "yes", "gpl-3.0"]
        let bases = ["meta-llama/Llama-3.1-8B", "google/gemma-2-9b-it", "mistralai/Mistral-7B-v0.1", "Qwen/Qwen2-7B",
                     "org/unknown-base", "./../m3", "models/org1/m7"]
        var files: [String: String] = [:]
        for i in 0..<count {
            let dir = "models/org\(i % 7)/m\(i)"
            let license = licenses[i % licenses.count]
            let base = bases[i % bases.count]
            switch i % 11 {
            case 0:
                files["\(dir)/README.md"] = "---\nlicense: \(license)\nbase_model: \(base)\ntags:\n- no\n- lora\n---\n# Model \(i)\n"
                files["\(dir)/adapter_config.json"] = "{\"peft_type\": \"LORA\", \"base_model_name_or_path\": \"\(base)\"}"
            case 1:
                files["\(dir)/README.md"] = "---\nlicense: \(license)\nbase_model:\n- \(base)\n- \(bases[(i + 1) % bases.count])\n---\n"
                files["\(dir)/mergekit_config.yml"] = "merge_method: slerp\nmodels:\n  - model: \(base)\n  - model: \(bases[(i + 2) % bases.count])\n"
            case 2:
                files["\(dir)/README.md"] = "---\nlicense: \(license)\nlicense: mit\n---\nBuilt with Llama\n"
                files["\(dir)/config.json"] = "{\"model_type\": \"llama\", \"quantization_config\": {\"load_in_4bit\": 1}}"
            case 3:
                files["\(dir)/README.md"] = "---\nlicense: [\n---\n"
            case 4:
                files["\(dir)/config.json"] = "{\"_name_or_path\": \"\(base)\", \"architectures\": [\"X\"]"
            case 5:
                files["\(dir)/README.md"] = "---\nbase_model: \(base)\nbase_model_relation: quantized\n---\n- **License:** MIT\n"
                files["\(dir)/model-Q4_K_M.gguf"] = "GGUF"
                files["\(dir)/LICENSE"] = "Apache License 2.0"
            case 6:
                files["\(dir)/README.md"] = "---\nlicense: other\nlicense_name: custom-\(i)\nmodel_name: name-\(i)-GGUF\n---\n"
                files["\(dir)/NOTICE"] = "Llama 3.1 is licensed under the Llama 3.1 Community License"
            default:
                files["\(dir)/README.md"] = "---\nlicense: \(license)\nbase_model: \(base)\n---\n# m\(i)\n"
            }
        }
        files["README.md"] = "---\nlicense: mit\n---\n# root\n"
        return InMemoryRepository.snapshot(files)
    }

    func request(_ snapshot: RepositorySnapshot, configuration: Configuration = Configuration()) -> LintRequest {
        LintRequest(snapshot: snapshot, configuration: configuration, knowledge: BuiltinKnowledge.shared, rootName: "mono")
    }

    @Test("many models: the parallel run reports the same models, findings and order as the serial one")
    func sameAsSerial() throws {
        let snapshot = Self.monorepo(count: 700)
        let config = try Configuration.parse(Array("""
            version: 1
            ignore:
            - rule: ML005
              path: models/org2/*
              reason: known
            """.utf8), path: ".mlicense.yml")
        for configuration in [Configuration(), config] {
            let serial = Linter.lint(request(snapshot, configuration: configuration), parallel: false)
            let parallel = Linter.lint(request(snapshot, configuration: configuration), parallel: true)
            #expect(serial.models.count > 600)
            #expect(serial.findings.count > 1000)
            #expect(parallel.findings == serial.findings)
            #expect(parallel.models.map(\.path) == serial.models.map(\.path))
            #expect(parallel.models.map(\.name) == serial.models.map(\.name))
            #expect(parallel.models.map { $0.bases.map(\.display) } == serial.models.map { $0.bases.map(\.display) })
            #expect(parallel.models.map(\.lineage.relation) == serial.models.map(\.lineage.relation))
            #expect(parallel.suppressed.map(\.finding) == serial.suppressed.map(\.finding))
            #expect(parallel.suppressed.map(\.reason) == serial.suppressed.map(\.reason))
        }
    }

    @Test("a caller that keeps the run's leftovers gets them once, and the same result")
    func leftoversAreHandedOver() {
        let snapshot = Self.monorepo(count: 120)
        let released = Linter.lint(request(snapshot))
        let kept = LeftoverBox()
        var keeping = request(snapshot)
        keeping.leftovers = { kept.add($0) }
        let result = Linter.lint(keeping)
        #expect(kept.count == 1)
        #expect(result.findings == released.findings)
        #expect(result.models.map(\.path) == released.models.map(\.path))
    }

    /// Counts what the linter hands over (called on the linter's own thread).
    final class LeftoverBox: @unchecked Sendable {
        private(set) var count = 0
        private var values: [any Sendable] = []
        func add(_ value: any Sendable) {
            values.append(value)
            count += 1
        }
    }

    @Test("the cards read in parallel are the cards read one by one")
    func cardsSameAsSerial() {
        let snapshot = Self.monorepo(count: 300)
        let serial = ModelDiscovery.cards(in: snapshot, parallel: false)
        let parallel = ModelDiscovery.cards(in: snapshot, parallel: true)
        #expect(Set(serial.keys) == Set(parallel.keys))
        for (folder, card) in serial {
            #expect(parallel[folder]?.path == card.path)
            #expect(parallel[folder]?.license?.string == card.license?.string)
            #expect(parallel[folder]?.duplicateKeys == card.duplicateKeys)
            #expect(parallel[folder]?.yamlError == card.yamlError)
        }
    }

    @Test("the model folders marked while the cards are parsed are those the cards mark afterwards")
    func marksSameAsCards() {
        var snapshot = Self.monorepo(count: 300)
        // Folders no file marks: a README.md without front matter, a config.json of no model,
        // a file of no kind; and ones a body marks: a merge configuration, metadata further down.
        snapshot = InMemoryRepository.snapshot(snapshot.files.reduce(into: [String: String]()) { $0[$1.path] = String(decoding: $1.content.bytes ?? [], as: UTF8.self) }
            .merging(["plain/README.md": "# no metadata\n", "tokenizer/config.json": "{\"foo\": 1}", "data/train.csv": "a,b\n",
                      "body/README.md": "# merge\n```yaml\nmerge_method: slerp\nmodels:\n  - model: a/b\n```\n",
                      "late/README.md": "# late\n\n---\nlicense: mit\n---\n", "q/model.Q4_K_M.GGUF": "GGUF"]) { a, _ in a })
        let cards = ModelDiscovery.cards(in: snapshot, parallel: false)
        let expected = ModelDiscovery.modelFolders(in: snapshot, cards: cards)
        #expect(expected.count > 250)
        #expect(expected.contains("body") && expected.contains("q") && !expected.contains("plain") && !expected.contains("tokenizer"))
        for parallel in [false, true] {
            let (oneCards, marked) = ModelDiscovery.cardsAndMarks(in: snapshot, parallel: parallel)
            #expect(Set(oneCards.keys) == Set(cards.keys))
            #expect(ModelDiscovery.modelFolders(in: snapshot, marked: marked) { _ in true } == expected)
        }
    }

    @Test("both: each closure's result in its place, on two cores or one")
    func bothKeepsPlaces() {
        for parallel in [true, false] {
            let (a, b) = Parallel.both(parallel: parallel, { (0..<1000).reduce(0, +) }, { String(repeating: "x", count: 3) })
            #expect(a == 499_500)
            #expect(b == "xxx")
        }
    }

    @Test("chunks come back in order, also for a last short chunk")
    func parallelMapOrder() {
        for count in [0, 1, 47, 48, 49, 1000] {
            let items = Array(0..<count)
            let chunks = Parallel.map(items, parallel: true, chunkSize: 48) { Array($0) }
            #expect(chunks.flatMap { $0 } == items)
            #expect(chunks.count == (count + 47) / 48)
        }
    }

    @Test("sorting by precomputed keys gives the stable sort by reportOrder")
    func sortedForReport() {
        var findings: [Finding] = []
        let paths = ["b/README.md", "a/README.md", "a/config.json", "a/b/README.md", "é/README.md", ".mlicense.yml", "a-b/README.md"]
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        for i in 0..<2000 {
            let line: Int? = next(5) == 0 ? nil : next(6)
            let column: Int? = next(4) == 0 ? nil : next(3)
            findings.append(Finding(code: ["ML001", "ML204", "ML005"][next(3)], rule: "r", severity: .warning,
                                    model: "m\(i)", location: SourceLocation(path: paths[next(paths.count)], line: line, column: column),
                                    message: ["a", "b", "b"][next(3)]))
        }
        var expected = findings
        expected.sort(by: Finding.reportOrder)
        #expect(Finding.sortedForReport(findings) == expected)
        #expect(Finding.sortedForReport([]) == [])

        // Runs each in report order, joined: as sorting them all, whether the runs meet in order
        // (the report split where it is) or not (each chunk of the findings sorted by itself).
        var cuts = [0]
        while cuts.last! < findings.count { cuts.append(min(findings.count, cuts.last! + 1 + next(300))) }
        let ranges = zip(cuts, cuts.dropFirst()).map { $0..<$1 }
        let inOrder = ranges.map { Array(expected[$0]) }
        let chunked = ranges.map { Finding.sortedForReport(Array(findings[$0])) }
        #expect(Finding.joinedInReportOrder(inOrder) == expected)
        #expect(Finding.joinedInReportOrder(chunked) == expected)
        #expect(Finding.joinedInReportOrder([[], Array(expected.prefix(3)), [], Array(expected.dropFirst(3))]) == expected)
        let swapped = Array(expected.dropFirst(3)) + Array(expected.prefix(3))
        #expect(Finding.joinedInReportOrder([Array(expected.dropFirst(3)), Array(expected.prefix(3))]) == swapped.sorted(by: Finding.reportOrder))
        #expect(Finding.joinedInReportOrder([]) == [])
    }

    @Test("a model folder is found by its place among the folders in path order, and only one that is there")
    func sortedPositionFindsFolders() {
        let folders = ["", "a", "a b", "a-b", "a/b", "a/b/c", "b", "models/org1/m7", "z", "é", "日本"]
            .sorted { SourceLocation.pathPrecedes($0, $1) }
        for (i, f) in folders.enumerated() { #expect(Linter.sortedPosition(of: f, in: folders) == i) }
        for absent in ["a/", "aa", "a/b/d", "models/org1", "zz", "e", " "] {
            #expect(Linter.sortedPosition(of: absent, in: folders) == nil)
        }
        #expect(Linter.sortedPosition(of: "a", in: []) == nil)
    }

    @Test("a snapshot finds each of its files by path, in any order given, and no path it does not hold")
    func snapshotFindsFilesByPath() {
        let paths = ["README.md", "a/README.md", "a b/x", "a-b/x", "a/b/config.json", "b", "mlicense.lock",
                     "models/org1/m7/README.md", "z", "é/README.md", "日本/README.md"]
        let files = paths.reversed().map { SnapshotFile(path: $0, size: UInt64($0.utf8.count), content: .full(Array($0.utf8))) }
        let snapshot = RepositorySnapshot(source: .directory, files: files)
        for p in paths { #expect(snapshot.file(p)?.content == .full(Array(p.utf8)), "\(p)") }
        for absent in ["", "a", "a/", "a/README", "a/README.mdx", "models/org1/m7", "zz", "e/README.md", "README.MD"] {
            #expect(snapshot.file(absent) == nil, "\(absent)")
        }
        // A decomposed é is another path to git, though Swift's == calls the two strings equal.
        #expect(snapshot.file("e\u{301}/README.md") == nil)
        #expect(RepositorySnapshot(source: .directory, files: []).file("README.md") == nil)
    }

    @Test("the folder table holds each file's folder and every folder above it once, each with its parent")
    func folderTableNamesFoldersAndParents() {
        let paths = ["README.md", "a/README.md", "a/config.json", "a/b/README.md", "a/b/c/d/x.json", "a/bb/y", "a b/z",
                     "ab/z", "models/org1/m1/README.md", "models/org1/m2/README.md", "models/org2/m1/README.md",
                     "models/org10/m1/README.md", "é/x", "e\u{301}/x", "日本/a/b", "z"]
        let files = paths.map { SnapshotFile(path: $0, size: 0, content: .notLoaded) }
        let snapshot = RepositorySnapshot(source: .directory, files: files)
        let table = snapshot.folders
        var expected: Set<[UInt8]> = [[]]
        for f in snapshot.files {
            var folder = SnapshotFile.folder(of: f.path)
            while !folder.isEmpty { expected.insert(Array(folder.utf8)); folder = SnapshotFile.folder(of: folder) }
        }
        #expect(Set(table.paths.map { Array($0.utf8) }) == expected)
        #expect(table.paths.count == table.count)
        #expect(table.paths[0] == "" && table.parent[0] == -1)
        for (i, f) in snapshot.files.enumerated() {
            #expect(Array(table.paths[Int(table.ofFile[i])].utf8) == Array(SnapshotFile.folder(of: f.path).utf8), "\(f.path)")
        }
        for id in table.paths.indices.dropFirst() {
            #expect(Array(table.paths[Int(table.parent[id])].utf8) == Array(SnapshotFile.folder(of: table.paths[id]).utf8), "\(table.paths[id])")
        }
    }

    @Test("two folders whose names differ only in how an accent is encoded are two models, each with its card")
    func foldersAreNamedByBytes() {
        let card = { (license: String) in Array("---\nlicense: \(license)\n---\n# m\n".utf8) }
        let files = [SnapshotFile(path: "caf\u{E9}/README.md", size: 0, content: .full(card("mit"))),
                     SnapshotFile(path: "cafe\u{301}/README.md", size: 0, content: .full(card("apache-2.0")))]
        let request = LintRequest(snapshot: RepositorySnapshot(source: .directory, files: files), configuration: Configuration(),
                                  knowledge: BuiltinKnowledge.shared, rootName: "mono")
        let result = Linter.lint(request)
        #expect(result.models.map { Array($0.path.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
                == [Array("cafe\u{301}".utf8), Array("caf\u{E9}".utf8)])
        #expect(Set(result.models.compactMap(\.declaredLicense)) == ["mit", "apache-2.0"])
    }
}
