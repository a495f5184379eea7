/// The lineage as a CycloneDX 1.6 ML-BOM (https://cyclonedx.org/docs/1.6/json/): one
/// `machine-learning-model` component per model, with its declared license and its bases as
/// `pedigree.ancestors`, each with the license mlicense resolved for it and, for a base that is a
/// model of the same repository, that model's own ancestors (to the roots).
public enum CycloneDX {
    /// SPDX ids the CycloneDX 1.6 schema's license list does not have yet (it predates them):
    /// written as a license name instead of an id, so the BOM validates.
    static let idsNewerThanSchema: Set<String> = ["OpenMDW-1.1"]

    /// The BOM of `models` (a lineage result) as JSON text. Deterministic: no timestamp or random
    /// serial number (a `version` of 1 and the tool in `metadata`).
    public static func render(_ models: [ModelSummary], knowledge: LicenseKnowledge, toolVersion: String) -> String {
        let byPath = Dictionary(models.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let components: [JSONValue] = models.map { m in
            var fields: [(String, JSONValue)] = [
                ("type", "machine-learning-model"),
                ("bom-ref", .string("model:" + m.path)),
                ("name", .string(m.name)),
            ]
            let declared = DeclaredLicense(raw: m.declaredLicense, otherName: m.licenseName, knowledge: knowledge)
            if let l = licenses(declared, link: m.licenseLink) { fields.append(("licenses", l)) }
            var visiting: Set<String> = [m.path]
            let ancestors = m.bases.map { ancestor($0, byPath: byPath, knowledge: knowledge, visiting: &visiting) }
            if !ancestors.isEmpty { fields.append(("pedigree", .object([("ancestors", .array(ancestors))]))) }
            fields.append(("properties", .array(properties(m))))
            return .object(fields)
        }
        let bom: JSONValue = .object([
            ("bomFormat", "CycloneDX"),
            ("specVersion", "1.6"),
            ("version", 1),
            ("metadata", .object([
                ("tools", .object([("components", .array([.object([
                    ("type", "application"), ("name", "mlicense"), ("version", .string(toolVersion)),
                ])]))])),
            ])),
            ("components", .array(components)),
        ])
        return bom.serialized() + "\n"
    }

    /// The `licenses` array of a declared license: an SPDX id, else the license's name (the Hub
    /// id or `license_name`) with its text's URL; nil when none is declared.
    static func licenses(_ d: DeclaredLicense, link: String? = nil) -> JSONValue? {
        guard !d.isMissing, let raw = d.raw else { return nil }
        var license: [(String, JSONValue)]
        if let r = d.record, let spdx = r.spdx, !idsNewerThanSchema.contains(spdx) {
            license = [("id", .string(spdx))]
        } else {
            license = [("name", .string(d.record?.id ?? (d.isOther ? d.otherName ?? "other" : raw)))]
        }
        if let url = link.flatMap({ $0.hasPrefix("https://") || $0.hasPrefix("http://") ? $0 : nil }) ?? d.record?.url {
            license.append(("url", .string(url)))
        }
        return .array([.object([("license", .object(license))])])
    }

    /// A base as an ancestor component: the resolved license, where it came from, and for a
    /// model of the repository its own bases (a cycle is cut where it closes).
    static func ancestor(_ b: ResolvedBase, byPath: [String: ModelSummary], knowledge: LicenseKnowledge,
                         visiting: inout Set<String>) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", "machine-learning-model"), ("name", .string(b.id))]
        if let l = b.license, let value = licenses(l) { fields.append(("licenses", value)) }
        if b.ref.kind == .hub, b.source != .repo {
            fields.append(("externalReferences", .array([.object([
                ("type", "distribution"), ("url", .string("https://huggingface.co/" + b.id)),
            ])])))
        }
        var props: [JSONValue] = [.object([("name", "mlicense:license-source"), ("value", .string(b.source.rawValue))])]
        if let d = b.sourceDetail { props.append(.object([("name", "mlicense:license-source-detail"), ("value", .string(d))])) }
        if let r = b.reuploadOf { props.append(.object([("name", "mlicense:reupload-of"), ("value", .string(r))])) }
        if b.source == .repo, let folder = b.sourceDetail, let inner = byPath[folder], !visiting.contains(folder) {
            visiting.insert(folder)
            let up = inner.bases.map { ancestor($0, byPath: byPath, knowledge: knowledge, visiting: &visiting) }
            visiting.remove(folder)
            if let r = inner.lineage.relation { props.append(.object([("name", "mlicense:relation"), ("value", .string(r.rawValue))])) }
            if !up.isEmpty { fields.append(("pedigree", .object([("ancestors", .array(up))]))) }
        }
        fields.append(("properties", .array(props)))
        return .object(fields)
    }

    static func properties(_ m: ModelSummary) -> [JSONValue] {
        var props: [JSONValue] = [.object([("name", "mlicense:path"), ("value", .string(m.path))])]
        if let r = m.lineage.relation {
            props.append(.object([("name", "mlicense:relation"), ("value", .string(r.rawValue))]))
            props.append(.object([("name", "mlicense:relation-source"), ("value", .string(m.lineage.relationSource.rawValue))]))
        }
        if let l = m.declaredLicense { props.append(.object([("name", "mlicense:declared-license"), ("value", .string(l))])) }
        return props
    }
}
