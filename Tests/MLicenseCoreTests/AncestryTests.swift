@testable import MLicenseCore
import MLicenseKnowledge
import MLicenseTestSupport
import MLicenseYAML
import Testing

/// Lints `files` with an optional cache of outside models (id → files) and configuration.
func lintAncestry(_ files: [String: String], cache: [String: [String: String]] = [:], configuration: String? = nil) throws -> LintResult {
    var config = Configuration()
    if let configuration { config = try Configuration.parse(Array(configuration.utf8), path: ".mlicense.yml") }
    var request = LintRequest(snapshot: InMemoryRepository.snapshot(files), configuration: config,
                              knowledge: BuiltinKnowledge.shared, rootName: "model")
    let models = Dictionary(uniqueKeysWithValues: cache.map { ($0.key.lowercased(), $0.value) })
    request.externalLookup = { id in
        models[id.lowercased()].map { ExternalModel(id: id, revision: "abc123", location: "cache/models--\(id)", files: $0.mapValues { Array($0.utf8) }) }
    }
    return Linter.lint(request)
}

/// A lock entry line block.
func lockEntry(_ id: String, _ license: String, bases: [String] = [], relation: String = "finetune") -> LockEntry {
    LockEntry(id: id, revision: String(repeating: "a", count: 40), license: license, relation: bases.isEmpty ? nil : Relation(rawValue: relation),
              bases: bases, source: "hub")
}

func lockText(_ entries: [LockEntry]) -> String { String(decoding: LockFile(entries: entries).rendered(), as: UTF8.self) }

@Suite("Ancestry: rules over the whole chain")
struct AncestryTests {
    @Test("a Llama 3.1 finetune relabelled apache-2.0 one hop up blocks its derivative, with the path")
    func launderedLlamaOneHop() throws {
        let r = try lintAncestry([
            "README.md": "---\nlicense: apache-2.0\nbase_model: midorg/relabelled-ft\n---\n",
            "mlicense.lock": lockText([lockEntry("midorg/relabelled-ft", "apache-2.0", bases: ["meta-llama/Llama-3.1-8B-Instruct"])]),
        ])
        let f = try #require(r.findings.first { $0.code == "ML204" })
        #expect(f.message.contains("meta-llama/Llama-3.1-8B-Instruct (llama3.1) → midorg/relabelled-ft (declares apache-2.0) → this model"), "\(f.message)")
        #expect(f.message.contains("midorg/relabelled-ft dropped its terms"))
        #expect(f.location.path == "README.md" && f.location.line == 2)
        #expect(f.fix?.title == "set license to llama3.1")
        // Without the lock the same card passes the relicensing rules (one hop only).
        let before = try lintAncestry(["README.md": "---\nlicense: apache-2.0\nbase_model: midorg/relabelled-ft\n---\n"])
        #expect(!before.findings.contains { $0.code == "ML204" })
        #expect(before.findings.contains { $0.code == "ML103" })
    }

    @Test("CC-BY-NC three hops up, through two permissive relabels, blocks the derivative")
    func nonCommercialThreeHops() throws {
        let r = try lintAncestry([
            "README.md": "---\nlicense: mit\nbase_model: a/one\n---\n",
            "mlicense.lock": lockText([
                lockEntry("a/one", "apache-2.0", bases: ["b/two"]),
                lockEntry("b/two", "mit", bases: ["c/three"]),
                lockEntry("c/three", "cc-by-nc-4.0"),
            ]),
        ])
        let f = try #require(r.findings.first { $0.code == "ML203" })
        #expect(f.message.contains("c/three (cc-by-nc-4.0) → b/two (declares mit) → a/one (declares apache-2.0) → this model"), "\(f.message)")
        #expect(f.message.contains("b/two dropped its terms"))
        #expect(r.models[0].ancestry.ancestors.map(\.node.id) == ["a/one", "b/two", "c/three"])
        #expect(r.models[0].ancestry.ancestors.map(\.depth) == [1, 2, 3])
    }

    @Test("ShareAlike through three hops of the Hugging Face cache, read from the cached cards")
    func shareAlikeThroughCache() throws {
        let r = try lintAncestry(["README.md": "---\nlicense: apache-2.0\nbase_model: x/ft1\n---\n"], cache: [
            "x/ft1": ["README.md": "---\nlicense: apache-2.0\nbase_model: x/ft2\n---\n"],
            "x/ft2": ["README.md": "---\nlicense: mit\n---\n",
                      "adapter_config.json": "{\"base_model_name_or_path\": \"stabilityai/stablelm-3b-4e1t\", \"peft_type\": \"LORA\"}"],
        ])
        let f = try #require(r.findings.first { $0.code == "ML202" })
        #expect(f.message.contains("stabilityai/stablelm-3b-4e1t (cc-by-sa-4.0) → x/ft2 (declares mit) → x/ft1 (declares apache-2.0) → this model"), "\(f.message)")
        let a = r.models[0].ancestry.ancestors
        #expect(a[0].node.resolved.source == .hfCache && a[0].node.resolved.revision == "abc123")
        #expect(a.last?.node.resolved.source == .registry)
    }

    @Test("a compliant chain passes: every model keeps the root's license")
    func compliantChain() throws {
        let r = try lintAncestry([
            "README.md": "---\nlicense: llama3.1\nbase_model: midorg/good-ft\n---\n",
            "mlicense.lock": lockText([
                lockEntry("midorg/good-ft", "llama3.1", bases: ["other/llama-ft"]),
                lockEntry("other/llama-ft", "llama3.1", bases: ["meta-llama/Llama-3.1-8B-Instruct"]),
            ]),
        ])
        #expect(r.findings.filter { $0.severity == .error }.isEmpty, "\(r.findings.map(\.message))")
        #expect(!r.findings.contains { ["ML103", "ML104"].contains($0.code) })
        #expect(r.models[0].ancestry.binding.isEmpty)
        #expect(r.models[0].ancestry.ancestors.count == 3)
    }

    @Test("a laundered chain is caught however the intermediate is read: repository folders four hops deep")
    func repoFoldersFourHops() throws {
        let r = try lintAncestry([
            "models/d/README.md": "---\nlicense: apache-2.0\nbase_model: ../c\n---\n",
            "models/c/README.md": "---\nlicense: apache-2.0\nbase_model: ../b\n---\n",
            "models/b/README.md": "---\nlicense: apache-2.0\nbase_model: ../a\n---\n",
            "models/a/README.md": "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B-Instruct\n---\n",
        ])
        let d = try #require(r.models.first { $0.path == "models/d" })
        #expect(d.ancestry.ancestors.map(\.node.id) == ["../c", "../b", "../a", "meta-llama/Llama-3.1-8B-Instruct"])
        let f = try #require(r.findings.first { $0.code == "ML204" && $0.model == "models/d" })
        #expect(f.message.contains("models/a dropped its terms") || f.message.contains("../a dropped its terms"), "\(f.message)")
        // Every model of the chain is blocked, each with its own path.
        #expect(Set(r.findings.filter { $0.code == "ML204" }.map(\.model)) == ["models/a", "models/b", "models/c", "models/d"])
    }

    @Test("cycles and self-references are findings, never a loop")
    func cycles() throws {
        let r = try lintAncestry([
            "README.md": "---\nlicense: apache-2.0\nbase_model: a/x\n---\n",
            "mlicense.lock": lockText([lockEntry("a/x", "apache-2.0", bases: ["b/y"]), lockEntry("b/y", "apache-2.0", bases: ["a/x"]),
                                       lockEntry("c/self", "apache-2.0", bases: ["c/self"])]),
        ])
        let f = try #require(r.findings.first { $0.code == "ML104" })
        #expect(f.message.contains("a/x → b/y → a/x"), "\(f.message)")
        let s = try lintAncestry([
            "README.md": "---\nlicense: apache-2.0\nbase_model: c/self\n---\n",
            "mlicense.lock": lockText([lockEntry("c/self", "apache-2.0", bases: ["c/self"])]),
        ])
        #expect(s.findings.contains { $0.code == "ML104" && $0.message.contains("naming itself") })
    }

    @Test("the JSON report streams each model's ancestors with the bytes of the ancestors' JSON tree")
    func streamedAncestorsEqualTree() throws {
        var chain: [LockEntry] = []
        for i in 0..<40 { chain.append(lockEntry("org/m\(i)", "apache-2.0", bases: ["org/m\(i + 1)"])) }
        let results = try [
            // An intermediate that dropped its base's terms (droppedBy), four hops of folders.
            lintAncestry([
                "models/d/README.md": "---\nlicense: apache-2.0\nbase_model: ../c\n---\n",
                "models/c/README.md": "---\nlicense: apache-2.0\nbase_model: ../b\n---\n",
                "models/b/README.md": "---\nlicense: apache-2.0\nbase_model: ../a\n---\n",
                "models/a/README.md": "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B-Instruct\n---\n",
            ]),
            // A cycle, a self-reference and a chain past the depth limit: problems after the ancestors.
            lintAncestry(["README.md": "---\nlicense: apache-2.0\nbase_model: a/x\n---\n",
                          "mlicense.lock": lockText([lockEntry("a/x", "apache-2.0", bases: ["b/y"]), lockEntry("b/y", "apache-2.0", bases: ["a/x"])])]),
            lintAncestry(["README.md": "---\nlicense: apache-2.0\nbase_model: c/self\n---\n",
                          "mlicense.lock": lockText([lockEntry("c/self", "apache-2.0", bases: ["c/self"])])]),
            lintAncestry(["README.md": "---\nlicense: apache-2.0\nbase_model: org/m0\n---\n", "mlicense.lock": lockText(chain)]),
        ]
        var kinds = Set<String>()
        for r in results {
            for m in r.models {
                for pretty in [true, false] {
                    var w = JSONWriter(pretty: pretty)
                    Reporters.writeAncestors(m, to: &w)
                    #expect(w.string() == Reporters.ancestorsJSON(m).serialized(pretty: pretty), "\(m.path)")
                }
                if !m.ancestry.binding.isEmpty { kinds.insert("dropped") }
                for p in m.ancestry.problems { kinds.insert("\(p.kind)") }
            }
        }
        #expect(kinds.count >= 3, "the cases cover dropped terms and the kinds of problems: \(kinds)")
    }

    @Test("a chain longer than 32 models ends with a finding")
    func depthLimit() throws {
        var entries: [LockEntry] = []
        for i in 0..<40 { entries.append(lockEntry("org/m\(i)", "apache-2.0", bases: ["org/m\(i + 1)"])) }
        entries.append(lockEntry("org/m40", "cc-by-nc-4.0"))
        let r = try lintAncestry(["README.md": "---\nlicense: apache-2.0\nbase_model: org/m0\n---\n", "mlicense.lock": lockText(entries)])
        let f = try #require(r.findings.first { $0.code == "ML104" })
        #expect(f.message.contains("longer than 32"))
        #expect(r.models[0].ancestry.ancestors.count == 32)
        #expect(!r.findings.contains { $0.code == "ML203" })
    }

    @Test("an unknown ancestor is ML103 with the chain and the commands that resolve it")
    func unknownAncestor() throws {
        let r = try lintAncestry(["README.md": "---\nlicense: apache-2.0\nbase_model: x/ft1\n---\n"],
                                 cache: ["x/ft1": ["README.md": "---\nlicense: apache-2.0\nbase_model: y/private\n---\n"]])
        let f = try #require(r.findings.first { $0.code == "ML103" })
        #expect(f.message.contains("ancestor y/private"))
        #expect(f.notes.contains { $0.contains("mlicense lock") && $0.contains("hf download y/private README.md") })
    }

    @Test("the lock comes before the registry and after the configuration")
    func resolutionOrder() throws {
        let lock = lockText([lockEntry("meta-llama/Llama-3.1-8B-Instruct", "llama3.1")])
        let r = try lintAncestry(["README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B-Instruct\n---\n", "mlicense.lock": lock])
        #expect(r.models[0].bases[0].source == .lock)
        #expect(r.models[0].bases[0].revision == String(repeating: "a", count: 40))
        let c = try lintAncestry(["README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B-Instruct\n---\n", "mlicense.lock": lock],
                                 configuration: "base-licenses:\n  meta-llama/Llama-3.1-8B-Instruct: llama3.1\n")
        #expect(c.models[0].bases[0].source == .config)
    }

    @Test("a monorepo's models share one graph: a common ancestor is resolved once and binds both")
    func monorepoSharesGraph() throws {
        let r = try lintAncestry([
            "a/README.md": "---\nlicense: apache-2.0\nbase_model: midorg/relabelled-ft\n---\n",
            "b/README.md": "---\nlicense: llama3.1\nbase_model: midorg/relabelled-ft\n---\n",
            "mlicense.lock": lockText([lockEntry("midorg/relabelled-ft", "apache-2.0", bases: ["meta-llama/Llama-3.1-8B-Instruct"])]),
        ])
        #expect(r.findings.filter { $0.code == "ML204" }.map(\.model) == ["a"])
        #expect(r.models.allSatisfy { $0.ancestry.ancestors.count == 2 })
    }

    @Test("an unreadable lock is ML104 at its line, reported once")
    func badLock() throws {
        let r = try lintAncestry([
            "a/README.md": "---\nlicense: apache-2.0\nbase_model: x/y\n---\n",
            "b/README.md": "---\nlicense: apache-2.0\nbase_model: x/y\n---\n",
            "mlicense.lock": "version: 1\nancestors:\n  - license: mit\n",
        ])
        let f = r.findings.filter { $0.code == "ML104" }
        #expect(f.count == 1)
        #expect(f.first?.location.path == "mlicense.lock" && f.first?.location.line == 3)
    }

    @Test("an ND ancestor blocks every descendant")
    func noDerivativesAncestor() throws {
        let r = try lintAncestry([
            "README.md": "---\nlicense: apache-2.0\nbase_model: a/one\n---\n",
            "mlicense.lock": lockText([lockEntry("a/one", "apache-2.0", bases: ["b/nd"]), lockEntry("b/nd", "cc-by-nc-nd-4.0")]),
        ])
        #expect(r.findings.contains { $0.code == "ML201" && $0.message.contains("a/one dropped its terms") })
    }
}

@Suite("mlicense.lock")
struct LockFileTests {
    @Test("rendering is sorted and byte-stable whatever the input order")
    func byteStable() throws {
        let e = [lockEntry("b/two", "mit", bases: ["c/three", "a/one"]), lockEntry("A/zero", "apache-2.0"), lockEntry("a/one", "llama3.1")]
        let one = LockFile(entries: e).rendered()
        let two = LockFile(entries: e.reversed()).rendered()
        #expect(one == two)
        let text = String(decoding: one, as: UTF8.self)
        #expect(text.contains("  - id: \"a/one\"\n") && text.range(of: "a/one")!.lowerBound < text.range(of: "A/zero")!.lowerBound)
        // Bases keep the card's order.
        #expect(text.contains("    bases:\n      - \"c/three\"\n      - \"a/one\"\n"))
        // Reading what was written and writing it again gives the same bytes.
        #expect(try LockFile.parse(one).rendered() == one)
    }

    @Test("values round-trip through libyaml, however odd")
    func roundTrip() throws {
        let odd = ["null", "yes", "1.0", "~", "a: b", "- x", "#c", "quote\"back\\slash", "tab\there", "line\nbreak", "ünïcödé ✓",
                   "\u{7}bell", "\u{2028}sep", " lead", "trail ", "", "'single'", "{flow}", "[x]", "*alias", "&anchor", "!tag", "%dir", "@at", "`tick`"]
        let entries = odd.enumerated().map { i, v in
            LockEntry(id: "org/m\(i)", revision: v, license: v, licenseName: v, licenseLink: v, relation: .merge, bases: [v], source: v)
        }
        let bytes = LockFile(entries: entries).rendered()
        let back = try LockFile.parse(bytes)
        #expect(back.entries.count == odd.count)
        for e in entries {
            let b = try #require(back.entry(e.id))
            #expect(b.comparable == e.comparable, "\(e.license ?? "")")
        }
        // Cross-check with libyaml directly: every scalar is a double-quoted string.
        let doc = try YAML.parse(bytes)
        #expect(doc.root?["ancestors"]?.sequence?.count == odd.count)
    }

    @Test("a lock in the writer's layout is indexed and read entry by entry, with the same entries as a whole parse")
    func indexedRead() throws {
        var entries = (0..<50).map { lockEntry("org/m\($0)", $0 % 2 == 0 ? "apache-2.0" : "llama3.1", bases: $0 % 3 == 0 ? ["org/m\($0 + 1)", "x/y"] : []) }
        entries.append(LockEntry(id: "Org/Odd", revision: "quote\"and\\", license: "other", licenseName: "line\nbreak ✓", relation: .merge, bases: [], source: "hf-cache"))
        let bytes = LockFile(entries: entries).rendered()
        let indexed = try LockFile.read(bytes)
        #expect(indexed.index != nil)
        let whole = try LockFile.parse(bytes)
        #expect(indexed.entries.map(\.comparable) == whole.entries.map(\.comparable))
        #expect(indexed.entry("org/odd")?.licenseName == "line\nbreak ✓" && indexed.entry("ORG/M3")?.bases == ["org/m4", "x/y"])
        #expect(indexed.entry("org/m3")?.location.line == whole.entry("org/m3")?.location.line)
        #expect(indexed.entry("org/absent") == nil)
        // Other layouts (flow style, comments between entries, an empty list) are parsed whole.
        for text in ["version: 1\nancestors: [{id: a/b, license: mit}]\n",
                     "version: 1\nancestors:\n  - id: \"a/b\"\n    license: \"mit\"\n# note\n  - id: \"c/d\"\n",
                     "version: 1\nancestors:\n- id: a/b\n  license: mit\n"] {
            let l = try LockFile.read(Array(text.utf8))
            #expect(l.index == nil && l.entry("a/b")?.license == "mit", "\(text)")
        }
        // In the writer's layout, an entry libyaml cannot read counts as absent; the others are read.
        let broken = "version: 1\nancestors:\n  - id: \"a/b\"\n    license: [\n  - id: \"c/d\"\n    license: \"mit\"\n"
        let l = try LockFile.read(Array(broken.utf8))
        #expect(l.entry("a/b") == nil && l.entry("c/d")?.license == "mit")
        #expect(throws: LockFileError.self) { try LockFile.parse(Array(broken.utf8)) }
    }

    @Test("malformed locks are errors with a line, not crashes")
    func malformed() {
        for (text, line) in [("version: 2\n", 1), ("ancestors: 5\n", 1), ("ancestors:\n  - id: [x]\n", 2), ("ancestors:\n  - 3\n", 2),
                             ("ancestors:\n  - id: a/b\n    relation: fork\n", 3), ("ancestors:\n  - id: a/b\n    bases: x\n", 3), (": : :\n\t-", 1)] {
            #expect(throws: LockFileError.self) { try LockFile.parse(Array(text.utf8)) }
            do { _ = try LockFile.parse(Array(text.utf8)) } catch { #expect(error.location.line == line, "\(text)") }
        }
    }
}

@Suite struct SeenKeysTests {
    @Test("the keys met: each key new once, before and after the list becomes a set")
    func insertsEachKeyOnce() {
        var seen = SeenKeys()
        let count = SeenKeys.listLimit * 3
        let keys = (0..<count).map { "hub:org/model-\($0)" }
        for (i, k) in keys.enumerated() {
            let new = seen.insert(k)
            #expect(new, "\(k)")
            // Every key met so far is known, the first ones too.
            let again = [seen.insert(keys[0]), seen.insert(keys[i / 2]), seen.insert(k)]
            #expect(again == [false, false, false], "\(k)")
        }
        let last = seen.insert("hub:org/model-\(count)")
        #expect(last)
    }
}
