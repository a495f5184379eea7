import MLicenseCore
import MLicenseTestSupport
import Testing

extension RealCase: CustomTestStringConvertible {}

@Suite("Shared real-world cases")
struct RealCaseTests {
    static let cases = RealCase.all()

    @Test("there are twenty cases")
    func count() { #expect(Self.cases.count == 20) }

    @Test("lineage: relation and bases match case.yml", arguments: cases)
    func lineage(_ c: RealCase) throws {
        let files = c.files
        let result = try InMemoryRepository.lint(files, configuration: c.configuration, rootName: c.name)
        let model = try #require(result.models.first)
        #expect(result.models.count == 1)
        #expect(model.lineage.relation?.rawValue == c.relation)
        #expect(Set(model.bases.map { $0.id.lowercased() }) == Set(c.bases.map { $0.lowercased() }))
    }

    @Test("verdict: the findings case.yml expects", arguments: cases)
    func verdict(_ c: RealCase) throws {
        let files = c.files
        let result = try InMemoryRepository.lint(files, configuration: c.configuration, rootName: c.name)
        let summary = result.findings.map { "\($0.code) \($0.severity) \($0.message)" }
        for e in c.expected {
            if e.category == "none" {
                // `none` first and another category after it: either outcome is acceptable.
                if c.expected.count > 1 { continue }
                #expect(!result.findings.contains { $0.severity == .error }, "\(summary)")
                continue
            }
            let codes = RealCase.codes(for: e.category)
            let minimum: Severity = e.severity == "error" ? .error : e.severity == "warning" ? .warning : .info
            #expect(result.findings.contains { codes.contains($0.code) && $0.severity >= minimum },
                    "expected \(e.category) (\(e.severity ?? "any")): \(summary)")
        }
    }
}

@Suite("Shared real-world cases after --fix")
struct RealCaseFixTests {
    @Test("the safe fixes leave no finding they addressed, and a second --fix changes nothing", arguments: RealCase.all())
    func fixedCaseRechecksClean(_ c: RealCase) throws {
        let before = try InMemoryRepository.lint(c.files, configuration: c.configuration, rootName: c.name)
        let plan = FixPlanner.plan(before, snapshot: InMemoryRepository.snapshot(c.files), allowUnsafe: false)
        var files = c.files
        for change in plan.changes { files[change.path] = String(decoding: change.after, as: UTF8.self) }
        let after = try InMemoryRepository.lint(files, configuration: c.configuration, rootName: c.name)
        for f in plan.applied {
            #expect(!after.findings.contains { $0.code == f.code && $0.base == f.base },
                    "\(f.code) is still reported after its fix: \(after.findings.map(\.message))")
        }
        // Every error that had a safe fix was fixed.
        let fixableErrors = before.findings.filter { $0.severity == .error && $0.fix?.applicability == .safe }
        #expect(!after.findings.contains { f in fixableErrors.contains { $0.code == f.code } })
        let again = FixPlanner.plan(after, snapshot: InMemoryRepository.snapshot(files), allowUnsafe: false)
        #expect(again.changes.isEmpty)
    }

    @Test("fixing the cases with a fixable error changes exactly their license line")
    func licenseLineOnly() throws {
        let c = try #require(RealCase.all().first { $0.id.hasPrefix("004") })
        let before = try InMemoryRepository.lint(c.files, configuration: c.configuration, rootName: c.name)
        let plan = FixPlanner.plan(before, snapshot: InMemoryRepository.snapshot(c.files), allowUnsafe: false)
        let change = try #require(plan.changes.first { $0.path == "README.md" })
        #expect(String(decoding: change.after, as: UTF8.self) == c.files["README.md"]!.replacingOccurrences(of: "license: apache-2.0", with: "license: llama3.3"))
    }
}
