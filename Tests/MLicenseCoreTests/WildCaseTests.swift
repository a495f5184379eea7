import MLicenseCore
import MLicenseTestSupport
import Testing

extension WildCase: CustomTestStringConvertible {}

/// The verdicts on real Hub repositories copied verbatim (Tests/Fixtures/wild-cases, and the probe
/// cases of Tests/Fixtures/probe-cases), checked as a publisher gets them: default configuration, no
/// Hugging Face cache.
@Suite("Wild cases from the Hub")
struct WildCaseTests {
    static let wild = WildCase.all()
    static let probes = WildCase.all(in: WildCase.probeRoot)
    static let cases = wild + probes
    /// The cases whose expectation is firm enough to hold the linter to.
    static let firm = cases.filter { $0.confidence != "low" }

    @Test("there are thirty wild cases, and the probe cases are read")
    func count() {
        #expect(Self.wild.count == 30)
        #expect(Self.probes.count >= 14)
        #expect(Set(Self.cases.map(\.id)).count == Self.cases.count)
    }

    @Test("high and medium confidence: blocked exactly when a reviewer would block, by the right rule", arguments: firm)
    func verdict(_ c: WildCase) {
        let result = c.lint()
        let errors = result.findings.filter { $0.severity == .error }
        let summary = result.findings.map { "\($0.code) \($0.severity) \($0.message)" }
        #expect(!errors.isEmpty == c.block, "block expected \(c.block): \(summary)")
        if c.block, !c.categories.isEmpty {
            let codes = c.categories.reduce(into: Set<String>()) { $0.formUnion(WildCase.codes(for: $1)) }
            #expect(errors.contains { codes.contains($0.code) }, "expected one of \(c.categories.sorted()): \(summary)")
        }
        for category in c.warningsExpected {
            let codes = WildCase.codes(for: category)
            #expect(result.findings.contains { codes.contains($0.code) }, "expected \(category): \(summary)")
        }
    }

    @Test("probe cases: a publisher gets no warning the case does not name as expected or acceptable (no noise)",
          arguments: probes.filter { $0.confidence != "low" })
    func noNoise(_ c: WildCase) {
        let named = Set(c.warningsExpected + c.warningsAcceptable).reduce(into: Set<String>()) { $0.formUnion(WildCase.codes(for: $1)) }
        let extra = c.lint().findings.filter { $0.severity == .warning && !named.contains($0.code) }
        #expect(extra.isEmpty, "\(extra.map { "\($0.code) \($0.message)" })")
    }

    @Test("low confidence: no case expected to pass is blocked", arguments: cases.filter { $0.confidence == "low" && !$0.block })
    func lowConfidencePasses(_ c: WildCase) {
        let result = c.lint()
        #expect(!result.findings.contains { $0.severity == .error }, "\(result.findings.map { "\($0.code) \($0.message)" })")
    }

    @Test("every case is read as one model", arguments: cases)
    func oneModel(_ c: WildCase) {
        #expect(c.lint().models.count == 1)
    }

    @Test("high and medium confidence: the relation case.yml gives, when the card shows a base", arguments: firm)
    func relation(_ c: WildCase) throws {
        let model = try #require(c.lint().models.first)
        if let relation = model.lineage.relation?.rawValue { #expect(relation == c.relation) }
    }
}
