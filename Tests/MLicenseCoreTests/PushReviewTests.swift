@testable import MLicenseCore
import Testing

/// Combining the per-commit lints of a push.
@Suite struct PushReviewTests {
    func finding(_ code: String, model: String = "chat", path: String = "chat/README.md", line: Int = 2,
                 message: String = "license is apache-2.0", severity: Severity = .error) -> Finding {
        Finding(code: code, rule: "rule-\(code)", severity: severity, model: model,
                location: SourceLocation(path: path, line: line, column: 10), message: message)
    }

    func result(_ findings: [Finding], models: [String] = ["chat"]) -> LintResult {
        LintResult(models: models.map {
            ModelSummary(path: $0, name: $0, declaredLicense: nil, licenseName: nil, licenseLink: nil,
                         lineage: Lineage(relation: nil, relationSource: .inferred, relationEvidence: [], bases: [],
                                          undeclaredBases: [], conflicts: []),
                         bases: [])
        }, findings: findings, suppressed: [])
    }

    @Test func aFindingKeptByLaterCommitsIsReportedOnceAtTheFirst() {
        let commits = (0..<50).map { i in
            // The line moves as the card grows: still the same finding.
            PushedCommit(commit: "c\(i)", result: result([finding("ML204", line: 2 + i), finding("ML209")]))
        }
        let verdict = PushReview.combine([PushedRange(commits: commits, tip: nil)], policy: .everyCommit)
        #expect(verdict.result.findings.count == 2)
        #expect(verdict.result.findings.allSatisfy { $0.commit == "c0" })
        #expect(verdict.result.findings.first { $0.code == "ML204" }?.location.line == 2)
        #expect(verdict.result.models.count == 1)
        #expect(verdict.fixedAtTip.isEmpty)
    }

    @Test func aNewMessageIsANewFindingAtItsCommit() {
        let commits = [
            PushedCommit(commit: "a", result: result([finding("ML204", message: "license is apache-2.0")])),
            PushedCommit(commit: "b", result: result([finding("ML204", message: "license is mit")])),
        ]
        let verdict = PushReview.combine([PushedRange(commits: commits, tip: nil)], policy: .everyCommit)
        #expect(verdict.result.findings.map(\.commit) == ["a", "b"])
        // Under every-commit, "a"'s finding (gone at the tip) still counts; under tip it does not.
        #expect(verdict.fixedAtTip.map(\.commit) == ["a"])
        let tip = PushReview.combine([PushedRange(commits: commits, tip: nil)], policy: .tip)
        #expect(tip.result.findings.map(\.commit) == ["b"])
        #expect(tip.fixedAtTip.map(\.commit) == ["a"])
    }

    @Test func theTipsLintDecidesWhatIsFixed() {
        let commits = [
            PushedCommit(commit: "a", result: result([finding("ML204"), finding("ML208", model: "other", path: "other/README.md")],
                                                     models: ["chat", "other"])),
            PushedCommit(commit: "b", result: result([], models: ["chat"])),
        ]
        // The tip still has other's finding (no commit after "a" touched it) and not chat's.
        let tip = result([finding("ML208", model: "other", path: "other/README.md")], models: ["chat", "other"])
        let verdict = PushReview.combine([PushedRange(commits: commits, tip: tip)], policy: .tip)
        #expect(verdict.result.findings.map(\.code) == ["ML208"])
        #expect(verdict.fixedAtTip.map(\.code) == ["ML204"])
    }

    @Test func aFindingOnTwoPushedRefsIsReportedOnce() {
        let one = PushedRange(commits: [PushedCommit(commit: "a", result: result([finding("ML204")]))], tip: nil)
        let two = PushedRange(commits: [PushedCommit(commit: "b", result: result([finding("ML204")]))], tip: nil)
        let verdict = PushReview.combine([one, two], policy: .everyCommit)
        #expect(verdict.result.findings.map(\.commit) == ["a"])
    }

    @Test func pushHistoryIsConfigured() throws {
        #expect(Configuration().pushHistory == .everyCommit)
        let config = try Configuration.parse(Array("version: 1\npush-history: tip\n".utf8), path: ".mlicense.yml")
        #expect(config.pushHistory == .tip)
        #expect(config.warnings.isEmpty)
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse(Array("push-history: sometimes\n".utf8), path: ".mlicense.yml")
        }
    }
}
