import MLicenseYAML

/// One base of an audited model: its id, the license the linter resolved for it, and the model of
/// the corpus it is, when it is one.
public struct AuditBase: Sendable {
    /// The id as the model names it.
    public var id: String
    /// The index of its license in the knowledge base's `licenses`, or -1 when unknown.
    public var license: Int32
    /// The id of the corpus model the linter resolved it to, when it did.
    public var corpusID: String?
}

/// A noncompliance the rules found, kept for the row it counts in.
public struct AuditRuleHit: Sendable {
    /// The row.
    public var category: AuditCategory
    /// The rule's code.
    public var code: String
    /// The base the finding names.
    public var base: String?
}

/// One model as the audit keeps it: what the graph and the rows need, not its files or card.
public struct AuditEntry: Sendable {
    /// The model's id: its Hub id (a JSONL corpus) or its folder (a folder corpus).
    public var id: String
    /// Its relation to its bases; nil for an original model.
    public var relation: Relation?
    /// The declared license's comparison key (``DeclaredLicense/key``), nil when missing or unidentified.
    public var declaredKey: String?
    /// The declared license's index in the knowledge base, or -1.
    public var declaredLicense: Int32
    /// The license as written, for reports.
    public var declaredDisplay: String
    /// The direct bases.
    public var bases: [AuditBase]
    /// The rows the model's findings put it in.
    public var ruleHits: [AuditRuleHit]

    /// The entry of a model the linter checked: its summary and its findings.
    public init(summary: ModelSummary, findings: [Finding], knowledge: LicenseKnowledge, licenseIndex: AuditLicenseIndex) {
        id = summary.path
        relation = summary.lineage.relation
        // As the rules read it: a number or a boolean is not a license id (CardField.string).
        let raw = summary.declaredLicense.flatMap { text -> String? in
            let scalar = YAMLScalar(text: text)
            return scalar.looksNumeric || scalar.yaml11Boolean != nil ? nil : text
        }
        let declared = DeclaredLicense(raw: raw, otherName: summary.licenseName, knowledge: knowledge)
        declaredKey = declared.isUnidentified ? nil : declared.key
        declaredLicense = licenseIndex.index(of: declared.record)
        declaredDisplay = declared.display
        bases = summary.bases.map { b in
            let linked: String?
            switch b.source {
            case .repo, .corpus: linked = b.sourceDetail
            default: linked = nil
            }
            return AuditBase(id: b.id, license: licenseIndex.index(of: b.record), corpusID: linked)
        }
        var hits: [AuditRuleHit] = []
        // Only what the license text settles counts (``Finding/settled``): not a bare `other`, terms
        // allowed on conditions, or a conditioning network, which the rules report as readings.
        for f in findings where f.settled {
            for c in Self.categories(of: f, bases: summary.bases) where !hits.contains(where: { $0.category == c }) {
                hits.append(AuditRuleHit(category: c, code: f.code, base: f.base))
            }
        }
        ruleHits = hits
    }

    /// Every rule code some row counts.
    static let mappedCodes: Set<String> = AuditCategory.allCases.reduce(into: []) { $0.formUnion(AuditMapping.rules(for: $1)) }

    /// The rows a finding counts in (``AuditMapping/rules(for:)``), by the kind of the base it names.
    static func categories(of f: Finding, bases: [ResolvedBase]) -> [AuditCategory] {
        guard mappedCodes.contains(f.code) else { return [] }
        let candidates = AuditCategory.allCases.filter { AuditMapping.rules(for: $0).contains(f.code) }
        guard !candidates.isEmpty else { return [] }
        let named = f.base.flatMap { id in bases.first { $0.id.lowercased() == id.lowercased() }?.record }
        let records = bases.compactMap(\.record)
        switch f.code {
        case "ML206":
            // A merge whose bases cannot all hold: a ShareAlike/GPL base is in the clash; CC and GNU
            // bases make it a CCf / FSFf case too.
            var result: [AuditCategory] = [.copyleft]
            if records.contains(where: AuditMapping.isCreativeCommons) { result.append(.ccf) }
            if records.contains(where: AuditMapping.isGNU) { result.append(.fsff) }
            return result
        case "ML212":
            return [.ccf]
        default:
            guard let r = named else { return [] }
            // The relicensing rules speak for the row of the base's license kind.
            return candidates.filter { c in
                switch c {
                case .copyleft: return AuditMapping.isShareAlike(r)
                default: return AuditMapping.qualifies(r, c)
                }
            }
        }
    }
}

/// Licenses by index into the knowledge base, so that a million entries hold small numbers
/// rather than copies of license records.
public struct AuditLicenseIndex: Sendable {
    /// The knowledge base.
    public let knowledge: LicenseKnowledge
    private let byID: [String: Int32]

    /// The index of `knowledge`'s licenses.
    public init(_ knowledge: LicenseKnowledge) {
        self.knowledge = knowledge
        var map: [String: Int32] = [:]
        for (i, r) in knowledge.licenses.enumerated() where map[r.id] == nil { map[r.id] = Int32(i) }
        byID = map
    }

    /// The index of `record`, or -1 for nil.
    public func index(of record: LicenseRecord?) -> Int32 {
        guard let record else { return -1 }
        return byID[record.id] ?? -1
    }

    /// The record at `i`, nil for -1.
    public func record(_ i: Int32) -> LicenseRecord? {
        i < 0 ? nil : knowledge.licenses[Int(i)]
    }
}

/// Why a model counts in a row: the rule that found it, or the ancestor whose terms it breaks.
public struct AuditFinding: Sendable, Hashable {
    /// The model.
    public var model: String
    /// Its relation ("original" when none).
    public var relation: String
    /// The row.
    public var category: AuditCategory
    /// The rule's code when a finding decided it; nil when the ancestry did.
    public var rule: String?
    /// The base or ancestor concerned.
    public var ancestor: String?
    /// The ancestor's license.
    public var ancestorLicense: String?
    /// The model's declared license as written.
    public var declared: String
    /// Whether the ancestor was reached through a base of a base (the rules see only direct bases).
    public var transitive: Bool
}

/// What a row counts: noncompliant and qualified models, in total and by relation.
public struct AuditRow: Sendable, Hashable {
    /// The row.
    public var category: AuditCategory
    /// Models that break it.
    public var noncompliant: Int
    /// Models it applies to.
    public var qualified: Int
    /// `noncompliant` by relation (``AuditResult/relationKeys``).
    public var byRelation: [String: Int]
    /// `qualified` by relation.
    public var qualifiedByRelation: [String: Int]
}

/// One model's outcome: the rows it qualifies for and those it breaks.
public struct AuditOutcome: Sendable {
    /// The model.
    public var id: String
    /// Its relation.
    public var relation: Relation?
    /// The declared license as written.
    public var declared: String
    /// Rows that apply.
    public var qualified: AuditCategorySet
    /// Rows it breaks.
    public var noncompliant: AuditCategorySet
}

/// The audit of a corpus: the table, every model's outcome and the reasons.
public struct AuditResult: Sendable {
    /// The number of models.
    public var models: Int
    /// Models by relation (``relationKeys``).
    public var relations: [String: Int]
    /// The rows, in ``AuditCategory`` order.
    public var table: [AuditRow]
    /// Every model's outcome, in corpus order.
    public var outcomes: [AuditOutcome]
    /// The reasons behind the noncompliant counts, by model then row.
    public var findings: [AuditFinding]

    /// The relation keys of the report, in order: the four Hub relations and `original`.
    public static let relationKeys = ["finetune", "merge", "quantized", "adapter", "original"]

    /// The row of `category`.
    public func row(_ category: AuditCategory) -> AuditRow { table.first { $0.category == category }! }
}

/// Turns checked models into the Table 3 rows, following bases through the corpus to the roots.
public enum Audit {
    /// A license an ancestor carries, with the nearest ancestor that carries it.
    struct AncestorLicense {
        var license: Int32
        var via: String
        /// Whether it is a direct base's license (what the rules judged).
        var direct: Bool
    }

    /// What the rows need of a node's ancestry: its ancestors' distinct licenses and whether a
    /// merge is among them.
    struct Ancestry {
        var licenses: [AncestorLicense] = []
        var hasMerge = false
        /// The Llama families (`llamaFamily`) among the node's own license and its ancestors'.
        var llamaFamilies: Set<String> = []
    }

    /// The audit of `entries` (in corpus order); with `parallel`, models are judged over the cores
    /// (the result does not depend on it).
    public static func tabulate(_ entries: [AuditEntry], licenses: AuditLicenseIndex, parallel: Bool = true) -> AuditResult {
        // Nodes by id, for bases the linter did not link (a corpus model without a license is still
        // its derivatives' ancestor).
        var byID: [String: Int] = [:]
        byID.reserveCapacity(entries.count)
        var byTail: [String: Int] = [:]
        var tailCount: [String: Int] = [:]
        for (i, e) in entries.enumerated() {
            let lower = e.id.lowercased()
            if byID[lower] == nil { byID[lower] = i }
            // Folder paths deeper than ORG/NAME are also found by their last two components.
            if lower.utf8.reduce(0, { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }) > 1 {
                let tail = lower.split(separator: "/").suffix(2).joined(separator: "/")
                tailCount[tail, default: 0] += 1
                if byTail[tail] == nil { byTail[tail] = i }
            }
        }
        func node(_ b: AuditBase, from i: Int) -> Int? {
            if let c = b.corpusID, let n = byID[c.lowercased()] { return n == i ? nil : n }
            let lower = b.id.lowercased()
            if let n = byID[lower] { return n == i ? nil : n }
            if tailCount[lower] == 1, let n = byTail[lower] { return n == i ? nil : n }
            return nil
        }
        let edges: [[Int?]] = entries.indices.map { i in entries[i].bases.map { node($0, from: i) } }
        let ancestry = ancestries(entries, edges: edges, licenses: licenses)

        var outcomes: [AuditOutcome] = []
        outcomes.reserveCapacity(entries.count)
        var findings: [AuditFinding] = []
        var relations = Dictionary(uniqueKeysWithValues: AuditResult.relationKeys.map { ($0, 0) })
        var counts = AuditCategory.allCases.map { _ in (n: [Int](repeating: 0, count: 5), q: [Int](repeating: 0, count: 5)) }
        // Each model is judged on its own (over the cores); the counts are summed in corpus order.
        var judged = Parallel.map(Array(entries.indices), parallel: parallel, chunkSize: 4096) { slice in
            slice.map { i in judge(entries[i], ancestry: ancestry[i], edges: edges[i], all: ancestry, licenses: licenses) }
        }
        var i = 0
        for c in judged.indices {
            let chunk = judged[c]
            judged[c] = []  // freed as it is summed
            for (qualified, noncompliant, reasons) in chunk {
                let e = entries[i]
                i += 1
                let rel = e.relation?.rawValue ?? "original"
                let relIndex = AuditResult.relationKeys.firstIndex(of: rel)!
                relations[rel, default: 0] += 1
                for (k, c) in AuditCategory.allCases.enumerated() {
                    if qualified.contains(c) { counts[k].q[relIndex] += 1 }
                    if noncompliant.contains(c) { counts[k].n[relIndex] += 1 }
                }
                findings.append(contentsOf: reasons)
                outcomes.append(AuditOutcome(id: e.id, relation: e.relation, declared: e.declaredDisplay,
                                             qualified: qualified, noncompliant: noncompliant))
            }
        }
        let table = AuditCategory.allCases.enumerated().map { k, c in
            AuditRow(category: c, noncompliant: counts[k].n.reduce(0, +), qualified: counts[k].q.reduce(0, +),
                     byRelation: Dictionary(uniqueKeysWithValues: zip(AuditResult.relationKeys, counts[k].n)),
                     qualifiedByRelation: Dictionary(uniqueKeysWithValues: zip(AuditResult.relationKeys, counts[k].q)))
        }
        return AuditResult(models: entries.count, relations: relations, table: table, outcomes: outcomes, findings: findings)
    }

    /// Every node's ancestry, computed once per node (children before parents, without recursion,
    /// so a long chain cannot exhaust the stack; a cycle is cut where it closes).
    static func ancestries(_ entries: [AuditEntry], edges: [[Int?]], licenses: AuditLicenseIndex) -> [Ancestry] {
        var result = [Ancestry?](repeating: nil, count: entries.count)
        var onStack = [Bool](repeating: false, count: entries.count)
        func familyOf(_ l: Int32) -> String? { licenses.record(l)?.terms.llamaFamily }
        for start in entries.indices where result[start] == nil {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            onStack[start] = true
            while let top = stack.last {
                let (n, k) = top
                if k < edges[n].count {
                    stack[stack.count - 1].next += 1
                    if let m = edges[n][k], result[m] == nil, !onStack[m] {
                        onStack[m] = true
                        stack.append((m, 0))
                    }
                    continue
                }
                // Every base of n is done (or on the stack: a cycle, cut here).
                var a = Ancestry()
                if let f = familyOf(entries[n].declaredLicense) { a.llamaFamilies.insert(f) }
                func add(_ l: AncestorLicense) {
                    guard l.license >= 0 else { return }
                    if let j = a.licenses.firstIndex(where: { $0.license == l.license }) {
                        if l.direct && !a.licenses[j].direct { a.licenses[j] = l }
                    } else {
                        a.licenses.append(l)
                    }
                }
                for (k, b) in entries[n].bases.enumerated() {
                    add(AncestorLicense(license: b.license, via: b.id, direct: true))
                    if let f = familyOf(b.license) { a.llamaFamilies.insert(f) }
                    if let m = edges[n][k], let up = result[m] {
                        if entries[m].relation == .merge || up.hasMerge { a.hasMerge = true }
                        for l in up.licenses { add(AncestorLicense(license: l.license, via: l.via, direct: false)) }
                        a.llamaFamilies.formUnion(up.llamaFamilies)
                    }
                }
                result[n] = a
                onStack[n] = false
                stack.removeLast()
            }
        }
        return result.map { $0 ?? Ancestry() }
    }

    /// The rows `e` qualifies for and breaks, with the reasons (AuditMapping).
    static func judge(_ e: AuditEntry, ancestry: Ancestry, edges: [Int?], all: [Ancestry], licenses: AuditLicenseIndex)
        -> (AuditCategorySet, AuditCategorySet, [AuditFinding])
    {
        var qualified = AuditCategorySet()
        var noncompliant = AuditCategorySet()
        var reasons: [AuditFinding] = []
        let rel = e.relation?.rawValue ?? "original"
        let declaredRecord = licenses.record(e.declaredLicense)
        func reason(_ c: AuditCategory, rule: String?, ancestor: String?, license: Int32?, transitive: Bool) {
            noncompliant.insert(c)
            reasons.append(AuditFinding(model: e.id, relation: rel, category: c, rule: rule, ancestor: ancestor,
                                        ancestorLicense: license.flatMap { licenses.record($0)?.id }, declared: e.declaredDisplay,
                                        transitive: transitive))
        }
        qualified.insert(.licenseMismatch)
        if let d = declaredRecord, AuditMapping.isNonModelLicense(d) {
            reason(.licenseMismatch, rule: "ML301", ancestor: nil, license: nil, transitive: false)
        }
        // The rules' findings.
        for h in e.ruleHits {
            let license = h.base.flatMap { id in e.bases.first { $0.id.lowercased() == id.lowercased() }?.license }
            reason(h.category, rule: h.code, ancestor: h.base, license: license, transitive: false)
        }
        guard let relation = e.relation else { return (qualified, noncompliant, reasons) }
        let records = ancestry.licenses.compactMap { a in licenses.record(a.license).map { (a, $0) } }
        for c in AuditCategory.allCases where c != .licenseMismatch {
            let isMergeRow = c == .la2eMerge || c == .la3eMerge
            if isMergeRow && relation != .merge { continue }
            let kind = records.filter { AuditMapping.qualifies($0.1, c) }
            if !kind.isEmpty { qualified.insert(c) }
            guard !noncompliant.contains(c) else { continue }
            if isMergeRow {
                // A merge of a Llama 2 (3) model with a model outside that family (§1.b.v). Family
                // membership follows the ancestry; when a direct base carries the clause, ML207
                // judged the pair (it decides what counts as another LLM), and its silence stands.
                guard let family = AuditMapping.exclusiveFamily(of: c), !kind.isEmpty else { continue }
                let directClause = e.bases.contains { licenses.record($0.license)?.terms.exclusiveFamily == family }
                if directClause { continue }
                for (k, b) in e.bases.enumerated() {
                    guard b.license >= 0 || edges[k] != nil else { continue }  // unknown: never guessed
                    var families: Set<String> = []
                    if let f = licenses.record(b.license)?.terms.llamaFamily { families.insert(f) }
                    if let m = edges[k] { families.formUnion(all[m].llamaFamilies) }
                    if families.isEmpty && b.license < 0 { continue }
                    if !families.contains(family) {
                        reason(c, rule: nil, ancestor: b.id, license: b.license, transitive: true)
                        break
                    }
                }
                continue
            }
            // The terms of the ancestors the rules did not judge (all of them for CCf and FSFf).
            let termsDecideAll = c == .ccf || c == .fsff
            if let hit = kind.first(where: { (termsDecideAll || !$0.0.direct) && AuditMapping.breaks($0.1, c, key: e.declaredKey, declared: declaredRecord) }) {
                reason(c, rule: nil, ancestor: hit.0.via, license: hit.0.license, transitive: !hit.0.direct)
                continue
            }
            if termsDecideAll, relation == .merge || ancestry.hasMerge, AuditMapping.mergeClash(records.map(\.1), c),
               let first = kind.first {
                reason(c, rule: nil, ancestor: first.0.via, license: first.0.license, transitive: !first.0.direct)
            }
        }
        // A row broken is a row that applies.
        qualified.raw |= noncompliant.raw
        return (qualified, noncompliant, reasons)
    }
}
