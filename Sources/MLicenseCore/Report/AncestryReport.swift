extension Reporters {
    /// A model's ancestors as the JSON report writes them (`ancestors`, after `bases`): every
    /// ancestor once, nearest first, with its depth, the model it is a base of, and, for one whose
    /// terms an intermediate dropped, which intermediate.
    public static func ancestorsJSON(_ m: ModelSummary) -> JSONValue {
        let binding = Dictionary(m.ancestry.binding.map { ($0.id.lowercased(), $0.via?.droppedBy) }, uniquingKeysWith: { a, _ in a })
        let byKey = Dictionary(m.ancestry.ancestors.map { ($0.node.key, $0.node.id) }, uniquingKeysWith: { a, _ in a })
        return .array(m.ancestry.ancestors.map { a in
            let n = a.node
            var fields: [(String, JSONValue)] = [
                ("id", .string(n.id)),
                ("license", .optional(n.license.map { $0.record?.id ?? $0.display })),
                ("licenseSource", .string(n.resolved.source.rawValue)),
                ("revision", .optional(n.resolved.revision)),
                ("relation", .optional(n.relation?.rawValue)),
                ("depth", .int(a.depth)),
                ("baseOf", .optional(a.childKey.flatMap { byKey[$0] })),
                ("bases", .array(n.bases.map { .string($0.id) })),
            ]
            if !binding.isEmpty, let dropped = binding[n.id.lowercased()] { fields.append(("droppedBy", .optional(dropped))) }
            return .object(fields)
        } + m.ancestry.problems.map { p in
            .object([("problem", .string(p.kind == .cycle ? "cycle" : p.kind == .selfReference ? "self-reference" : "depth-limit")),
                     ("chain", .array(p.chain.map { .string($0) }))])
        })
    }

    /// ``ancestorsJSON(_:)`` written straight to `w`, with the same bytes, without building the tree.
    static func writeAncestors(_ m: ModelSummary, to w: inout JSONWriter) {
        let ancestors = m.ancestry.ancestors
        w.beginArray()
        if !ancestors.isEmpty {
            let binding = Dictionary(m.ancestry.binding.map { ($0.id.lowercased(), $0.via?.droppedBy) }, uniquingKeysWith: { a, _ in a })
            // The id of the first ancestor with a key: looked up in the list for a short ancestry (most
            // models have one ancestor, and a dictionary cost each model 1,000 instructions).
            let byKey = ancestors.count > 8 ? Dictionary(ancestors.map { ($0.node.key, $0.node.id) }, uniquingKeysWith: { a, _ in a }) : nil
            func id(ofKey key: String) -> String? {
                if let byKey { return byKey[key] }
                return ancestors.first { $0.node.key == key }?.node.id
            }
            for a in ancestors {
                let n = a.node
                w.beginObject()
                w.field("id", n.id)
                w.field("license", n.license.map { $0.record?.id ?? $0.display })
                w.field("licenseSource", n.resolved.source.rawValue)
                w.field("revision", n.resolved.revision)
                w.field("relation", n.relation?.rawValue)
                w.field("depth", a.depth)
                w.field("baseOf", a.childKey.flatMap(id(ofKey:)))
                w.key("bases")
                w.beginArray()
                for b in n.bases { w.string(b.id) }
                w.endArray()
                if !binding.isEmpty, let dropped = binding[n.id.lowercased()] { w.field("droppedBy", dropped) }
                w.endObject()
            }
        }
        for p in m.ancestry.problems {
            w.beginObject()
            w.field("problem", p.kind == .cycle ? "cycle" : p.kind == .selfReference ? "self-reference" : "depth-limit")
            w.key("chain")
            w.beginArray()
            for c in p.chain { w.string(c) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
    }

    /// A model's ancestry as an indented tree, one line per ancestor under the model it is a base
    /// of (`mlicense lineage`):
    /// `midorg/relabelled-ft: apache-2.0 (lock, read from hub at 1a2b…)`.
    public static func ancestryTree(_ m: ModelSummary, indent: String = "  ") -> [String] {
        var children: [String?: [ModelAncestor]] = [:]
        for a in m.ancestry.ancestors { children[a.childKey, default: []].append(a) }
        let dropped = Dictionary(m.ancestry.binding.map { ($0.id.lowercased(), $0.via?.droppedBy) }, uniquingKeysWith: { a, _ in a })
        var lines: [String] = []
        func walk(_ parent: String?, _ level: Int) {
            for a in children[parent] ?? [] {
                let n = a.node
                var line = String(repeating: indent, count: level) + "\(n.id): \(n.license?.display ?? "license unknown") (\(n.resolved.source.rawValue)"
                if let d = n.resolved.sourceDetail, n.resolved.source != .registry { line += ": \(d)" }
                line += ")"
                if let r = n.relation { line += ", \(r.rawValue)" }
                if let d = dropped[n.id.lowercased()] { line += "; its terms bind this model, \(d ?? "an intermediate") dropped them" }
                lines.append(line)
                walk(n.key, level + 1)
            }
        }
        walk(nil, 0)
        for p in m.ancestry.problems {
            lines.append("\(p.kind == .depthLimit ? "cut at the depth limit" : p.kind == .cycle ? "cycle" : "names itself"): \(p.chain.joined(separator: " → "))")
        }
        return lines
    }
}
