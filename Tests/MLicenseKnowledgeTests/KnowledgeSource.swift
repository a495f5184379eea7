import Foundation
import MLicenseCore

/// Renders the knowledge data as Swift source, so the binary holds it as values and decodes
/// nothing at start-up (a hook resolves bases on every commit). The data files stay the source of
/// truth; `KnowledgeSourceTests` fails when the generated files are stale.
enum KnowledgeSource {
    static let generatedFolder = KnowledgeData.folder.deletingLastPathComponent().appendingPathComponent("Generated")

    static let header = """
        // Generated from Sources/MLicenseKnowledge/Data by
        // `MLICENSE_RECORD=1 swift test --filter KnowledgeSourceTests`. Do not edit: change the data file.

        import MLicenseCore

        """

    static func licenses(_ records: [LicenseRecord]) -> String {
        var out = header + "\nlet builtinLicenses: [LicenseRecord] = [\n"
        for r in records {
            var args = ["id: \(literal(r.id))", "isHubID: \(r.isHubID)", "name: \(literal(r.name))"]
            if let spdx = r.spdx { args.append("spdx: \(literal(spdx))") }
            if !r.aliases.isEmpty { args.append("aliases: [\(r.aliases.map(literal).joined(separator: ", "))]") }
            if let url = r.url { args.append("url: \(literal(url))") }
            args.append("terms: \(terms(r.terms))")
            args.append("source: \(literal(r.source))")
            out += "    LicenseRecord(\n" + args.map { "        \($0)" }.joined(separator: ",\n") + "),\n"
        }
        return out + "]\n"
    }

    static func baseModels(_ entries: [BaseModelEntry]) -> String {
        var out = header + "\nlet builtinBaseModels: [BaseModelEntry] = [\n"
        for e in entries {
            var args = ["id: \(literal(e.id))", "license: \(literal(e.license))"]
            if let original = e.reuploadOf { args.append("reuploadOf: \(literal(original))") }
            if let kind = e.kind { args.append("kind: .\(kindCase(kind))") }
            args.append("source: \(literal(e.source))")
            out += "    BaseModelEntry(\(args.joined(separator: ", "))),\n"
        }
        return out + "]\n"
    }

    /// The lookup keys of the records, folded here so that a run does not fold them at start-up.
    static func keys(_ records: [LicenseRecord], _ entries: [BaseModelEntry]) -> String {
        let k = LicenseKnowledge.Keys(licenses: records, baseModels: entries)
        func list(_ name: String, _ type: String, _ items: [String]) -> String {
            "\nlet \(name): [\(type)] = [\n" + items.map { "    \($0),\n" }.joined() + "]\n"
        }
        return header
            + "\n/// The folded lookup keys of `builtinLicenses` and `builtinBaseModels` (`LicenseKnowledge.Keys`).\n"
            + "let builtinKeys = LicenseKnowledge.Keys(licenseIDs: builtinLicenseIDKeys, aliases: builtinAliasKeys, modelIDs: builtinModelIDKeys)\n"
            + list("builtinLicenseIDKeys", "String", k.licenseIDs.map(literal))
            + list("builtinAliasKeys", "(String, Int)", k.aliases.map { "(\(literal($0.0)), \($0.1))" })
            + list("builtinModelIDKeys", "String", k.modelIDs.map(literal))
    }

    private static func terms(_ t: LicenseTerms) -> String {
        var args = ["family: .\(t.family.rawValue)"]
        switch t.derivatives {
        case .any: args.append("derivatives: .any")
        case .none: args.append("derivatives: .none")
        case .only(let ids): args.append("derivatives: .only([\(ids.map(literal).joined(separator: ", "))])")
        }
        if t.nonCommercial { args.append("nonCommercial: true") }
        if t.useRestrictions { args.append("useRestrictions: true") }
        if let v = t.exclusiveFamily { args.append("exclusiveFamily: \(literal(v))") }
        if let v = t.llamaFamily { args.append("llamaFamily: \(literal(v))") }
        if let v = t.namePrefix { args.append("namePrefix: \(literal(v))") }
        if let v = t.notice { args.append("notice: \(literal(v))") }
        if let v = t.builtWith { args.append("builtWith: \(literal(v))") }
        if t.copyRequired { args.append("copyRequired: true") }
        if t.writtenForModels { args.append("writtenForModels: true") }
        if let v = t.adapterDerivative { args.append("adapterDerivative: \(literal(v))") }
        if let v = t.relicenseConditional { args.append("relicenseConditional: \(literal(v))") }
        return "LicenseTerms(\(args.joined(separator: ", ")))"
    }

    /// The Swift case name of `kind`.
    private static func kindCase(_ kind: ModelKind) -> String {
        switch kind {
        case .llm: return "llm"
        case .visionLanguage: return "visionLanguage"
        case .visionEncoder: return "visionEncoder"
        case .embedding: return "embedding"
        case .diffusion: return "diffusion"
        case .audio: return "audio"
        }
    }

    /// A Swift string literal of `s`.
    static func literal(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
