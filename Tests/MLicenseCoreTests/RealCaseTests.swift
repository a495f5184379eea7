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
