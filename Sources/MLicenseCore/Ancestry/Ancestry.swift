/// One model of the ancestry graph: a base, or a base of a base, with its license and its own bases.
public struct AncestorNode: Sendable {
    /// The graph key: `repo:<folder>` for a model folder of this repository, else the lower-cased id.
    public var key: String
    /// The id as first named.
    public var id: String
    /// What the resolution order found: license, source, revision.
    public var resolved: ResolvedBase
    /// Its relation to its own bases, when the source says.
    public var relation: Relation?
    /// Its own bases, as the source names them.
    public var bases: [BaseModelRef]
    /// The graph keys of its own bases, in the same order.
    public var baseKeys: [String]

    /// The license, when known.
    public var license: DeclaredLicense? { resolved.license }
    /// "midorg/relabelled-ft (apache-2.0)".
    public var display: String { resolved.display }
}

/// A problem of a model's ancestry (ML104): a cycle, a model naming itself, a chain too long.
public struct AncestryProblem: Sendable, Hashable {
    /// What is wrong.
    public enum Kind: Sendable, Hashable {
        /// The chain returns to a model already on it.
        case cycle
        /// A model names itself as its base.
        case selfReference
        /// The chain is longer than ``Ancestry/depthLimit``.
        case depthLimit
    }

    /// What is wrong.
    public var kind: Kind
    /// The ids from the model's direct base up to where the problem is.
    public var chain: [String]
    /// The direct base the chain starts from (where findings point).
    public var base: BaseModelRef
}

/// One ancestor of one model, with the shortest chain that leads to it.
public struct ModelAncestor: Sendable {
    /// The node.
    public var node: AncestorNode
    /// 1 for a direct base, 2 for a base of a base, ….
    public var depth: Int
    /// The graph keys from the direct base (first) up to this ancestor (last).
    public var chain: [String]
    /// The key of the model it is a base of on that chain (nil for a direct base).
    public var childKey: String?
}

/// The ancestry of one model: every ancestor once, breadth first (direct bases first), and the
/// problems met on the way.
public struct ModelAncestry: Sendable {
    /// The ancestors, nearest first.
    public var ancestors: [ModelAncestor]
    /// Cycles, self-references and chains cut at the depth limit.
    public var problems: [AncestryProblem]
    /// Ancestors further up than the direct bases whose terms bind this model because an
    /// intermediate dropped them: as bases with ``ResolvedBase/via`` set, for the rules.
    public var binding: [ResolvedBase]
    /// Ancestors further up than the direct bases whose license is unknown.
    public var unresolved: [ResolvedBase]

    /// No ancestors.
    public static let empty = ModelAncestry(ancestors: [], problems: [], binding: [], unresolved: [])
}

/// One step of an ancestor's chain, for messages.
public struct AncestorStep: Sendable, Hashable {
    /// The id.
    public var id: String
    /// The license as shown (`llama3.1`, `other (qwen)`, `license unknown`).
    public var license: String
}

/// How an ancestor's terms reach this model: the chain from the ancestor down to the direct base,
/// and the intermediate that dropped them.
public struct AncestorPath: Sendable, Hashable {
    /// From the ancestor (first) down to the direct base (last).
    public var steps: [AncestorStep]
    /// The id of the nearest model below the ancestor whose license does not carry its terms.
    public var droppedBy: String?

    /// `meta-llama/Llama-3.1-8B-Instruct (llama3.1) → midorg/relabelled-ft (declares apache-2.0) → this model`.
    public var display: String {
        var parts: [String] = []
        for (i, s) in steps.enumerated() {
            parts.append(i == 0 ? "\(s.id) (\(s.license))" : "\(s.id) (\(s.license == "license unknown" ? "license unknown" : "declares \(s.license)"))")
        }
        parts.append("this model")
        return parts.joined(separator: " → ")
    }
}

/// The ancestry of every model of a run: a graph from the models' bases to the roots, each node
/// resolved once from the offline sources (configuration, model folders, `mlicense.lock`, the
/// registry, the Hugging Face cache) and shared by every model that reaches it.
public struct Ancestry: Sendable {
    /// The longest chain followed; longer ones end with an ML104 finding.
    public static let depthLimit = 32

    /// The nodes by key.
    public private(set) var nodes: [String: AncestorNode] = [:]

    /// Builds the graph from `start` (each model's direct bases, already resolved) upwards.
    /// `repoBases` gives a model folder's own bases (its lineage); it is asked at most once per folder.
    public init(start: [ResolvedModel], resolver: LicenseResolver, repoBases: (String) -> (relation: Relation?, bases: [BaseModelRef])) {
        self.init(startLists: [start], resolver: resolver, repoBases: repoBases)
    }

    /// ``init(start:resolver:repoBases:)`` from each model's list of direct bases. Most of a
    /// run's bases are the same few models: a base whose node exists is passed over by its key,
    /// without copying it out of its list.
    public init(startLists: [[ResolvedModel]], resolver: LicenseResolver,
                repoBases: (String) -> (relation: Relation?, bases: [BaseModelRef])) {
        var queue: [(ResolvedModel, Int)] = []
        var head = 0
        func add(_ m: ResolvedModel, depth: Int) {
            guard nodes[m.key] == nil else { return }
            var relation = m.relation
            var bases = m.bases
            if let folder = m.repoFolder {
                let r = repoBases(folder)
                relation = r.relation
                bases = r.bases
            }
            nodes[m.key] = AncestorNode(key: m.key, id: m.base.id, resolved: m.base, relation: relation, bases: bases, baseKeys: [])
            queue.append((m, depth))
        }
        for list in startLists {
            for i in list.indices where nodes[list[i].key] == nil { add(list[i], depth: 1) }
        }
        while head < queue.count {
            let (m, depth) = queue[head]
            head += 1
            guard var node = nodes[m.key] else { continue }
            // A chain longer than the limit is not followed further (its models are finite, but a
            // generated cache could be long); the per-model walk reports where it was cut.
            guard depth <= Self.depthLimit else { continue }
            var keys: [String] = []
            for b in node.bases {
                let r = resolver.resolveModel(b, from: m.repoFolder)
                keys.append(r.key)
                add(r, depth: depth + 1)
            }
            node.baseKeys = keys
            nodes[m.key] = node
        }
    }

    /// The ancestry of the model in repository folder `folder` whose direct bases are `direct`
    /// (resolved as the graph was started with them).
    public func ancestry(ofFolder folder: String, direct: [ResolvedModel]) -> ModelAncestry {
        let selfKey = "repo:" + folder
        var result = ModelAncestry.empty
        var seen = SeenKeys()
        // Breadth first: the first chain that reaches an ancestor is a shortest one.
        var queue: [(key: String, chain: [String], child: String?, base: BaseModelRef)] = []
        for d in direct {
            if d.key == selfKey {
                result.problems.append(AncestryProblem(kind: .selfReference, chain: [d.base.id], base: d.base.ref))
                continue
            }
            if seen.insert(d.key) { queue.append((d.key, [d.key], nil, d.base.ref)) }
        }
        var head = 0
        while head < queue.count {
            let (key, chain, child, base) = queue[head]
            head += 1
            guard let node = nodes[key] else { continue }
            result.ancestors.append(ModelAncestor(node: node, depth: chain.count, chain: chain, childKey: child))
            for next in node.baseKeys {
                if next == selfKey || chain.contains(next) {
                    let ids = (chain + [next]).map { nodes[$0]?.id ?? $0 }
                    let kind: AncestryProblem.Kind = next == key ? .selfReference : .cycle
                    let p = AncestryProblem(kind: kind, chain: next == selfKey ? Array(ids.dropLast()) + ["this model"] : ids, base: base)
                    if !result.problems.contains(p) { result.problems.append(p) }
                    continue
                }
                if chain.count >= Self.depthLimit {
                    let p = AncestryProblem(kind: .depthLimit, chain: chain.map { nodes[$0]?.id ?? $0 }, base: base)
                    if !result.problems.contains(where: { $0.kind == .depthLimit && $0.base == base }) { result.problems.append(p) }
                    continue
                }
                if seen.insert(next) { queue.append((next, chain + [next], key, base)) }
            }
        }
        for a in result.ancestors where a.depth >= 2 {
            // Findings point where the model names the chain (its direct base, the first that
            // has the chain's first key).
            let named = direct.first { $0.key == a.chain[0] }?.base.ref ?? a.node.resolved.ref
            var b = a.node.resolved
            b.ref = BaseModelRef(id: a.node.id, kind: a.node.resolved.ref.kind, evidence: named.evidence)
            let steps = a.chain.reversed().map { k in
                AncestorStep(id: nodes[k]?.id ?? k, license: nodes[k]?.license?.display ?? "license unknown")
            }
            if a.node.license == nil || a.node.license?.isUnidentified == true {
                b.via = AncestorPath(steps: steps, droppedBy: nil)
                result.unresolved.append(b)
                continue
            }
            guard let record = a.node.license?.record, let dropped = droppedBy(record, chain: a.chain) else { continue }
            b.via = AncestorPath(steps: steps, droppedBy: dropped)
            result.binding.append(b)
        }
        return result
    }

    /// The id of the nearest model below the ancestor at the end of `chain` whose license does
    /// not carry `record`'s terms, or nil when every one does (or the terms do not travel).
    func droppedBy(_ record: LicenseRecord, chain: [String]) -> String? {
        let allowed: Set<String>
        switch record.terms.derivatives {
        case .any: return nil
        case .none: allowed = []
        case .only(let ids): allowed = Set(ids.map { $0.lowercased() })
        }
        // chain[last] is the ancestor; walk down towards the model.
        for k in chain.dropLast().reversed() {
            guard let n = nodes[k] else { return k }
            guard let key = n.license?.key, !(n.license?.isUnidentified ?? true), allowed.contains(key.lowercased()) else { return n.id }
        }
        return nil
    }
}
