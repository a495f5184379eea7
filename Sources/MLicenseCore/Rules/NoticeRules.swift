/// ML209: the base requires a NOTICE text and no NOTICE/LICENSE file holds it.
public struct NoticeMissingRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML209", slug: "notice-missing",
        summary: "the NOTICE text a base's license requires is not shipped",
        defaultSeverity: .warning,
        relations: [.finetune, .quantized, .merge, .adapter],
        whatItChecks: """
            A base's license requires a notice text with every copy (Llama 2–4: "Llama … is licensed under the \
            Llama … Community License, Copyright © Meta Platforms, Inc. All Rights Reserved."; Gemma: "Gemma is \
            provided under and subject to the Gemma Terms of Use …"; Qwen) and no NOTICE, LICENSE or \
            USE_POLICY file in the model's folder holds it.
            """,
        whyItMatters: """
            Llama licenses §1.b.ii: retain the attribution notice "in a 'Notice' text file distributed as a part \
            of such copies"; Gemma Terms §3.1: the notice must accompany distributed copies.
            """,
        fix: "`--unsafe-fixes` creates NOTICE with the required text.",
        triggering: [
            .card("---\nlicense: ↓llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
            .card("---\nlicense: ↓gemma\nbase_model: google/gemma-2-9b-it\n---\n"),
        ],
        nonTriggering: [
            RuleExample(["README.md": "---\nlicense: mit\nbase_model: microsoft/phi-2\n---\n"]),
            RuleExample(["README.md": "---\nlicense: gemma\nbase_model: google/gemma-2-9b-it\n---\n",
                         "NOTICE": "Gemma is provided under and subject to the Gemma Terms of Use found at ai.google.dev/gemma/terms\n"]),
        ])

    /// Whether `text` (lower-cased) holds `notice` up to spacing, quotes and the © sign.
    static func contains(_ text: String, _ notice: String) -> Bool {
        contains(folded: fold(text), notice)
    }

    /// Lower-case ASCII letters and digits and non-ASCII bytes, with `©` and `(c)` read as
    /// "copyright": spacing, punctuation and quoting do not matter.
    static func fold(_ s: String) -> [UInt8] {
        let bytes = Array(s.utf8)
        let copyright = Array("copyright".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA9 {
                out += copyright
                i += 2
                continue
            }
            if b == UInt8(ascii: "("), i + 2 < bytes.count, bytes[i + 1] | 0x20 == UInt8(ascii: "c"), bytes[i + 2] == UInt8(ascii: ")") {
                out += copyright
                i += 3
                continue
            }
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.append(b + 32)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...: out.append(b)
            default: break
            }
            i += 1
        }
        return out
    }

    /// Whether `folded` (``fold(_:)`` of a text) holds `notice`, as ``contains(_:_:)``.
    static func contains(folded hay: [UInt8], _ notice: String) -> Bool {
        // An empty text holds only a notice that folds to nothing: no letter, digit or non-ASCII byte.
        if hay.isEmpty {
            return !notice.utf8.contains { b in
                b >= 0x80 || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            }
        }
        let needle = fold(notice)
        return needle.isEmpty || ModelDiscovery.contains(hay, needle)
    }

    public func check(_ c: RuleContext) -> [Finding] {
        // A separate conditioning network ships none of the base's material: no notice travels.
        if c.lineage.adapterKind == .conditioningNetwork { return [] }
        // The shipped text, folded once for every notice; read only when a base requires one.
        var shipped: [UInt8]?
        // The notices seen: a model has a base or two, so a list, not a set.
        var seen: [String] = []
        var out: [Finding] = []
        for b in c.bases {
            guard let notice = b.license?.record?.terms.notice, !seen.contains(notice) else { continue }
            seen.append(notice)
            let hay = shipped ?? Self.fold(c.shippedText(includeCard: false))
            shipped = hay
            if Self.contains(folded: hay, notice) { continue }
            let path = c.model.filePath("NOTICE")
            if let f = c.finding(Self.description, at: c.licenseLocation,
                                 String(message: "\(Clauses.base(b)), which requires this NOTICE with every copy: \"\(notice)\""),
                                 base: b.id,
                                 fix: Fix(.unsafe, "create \(path) with the required text",
                                          .writeFile(path: path, text: notice + "\n"))) {
                out.append(f)
            }
        }
        return out
    }
}

/// ML210: the base requires a copy of its license and the repo has none.
public struct LicenseCopyMissingRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML210", slug: "license-copy-missing",
        summary: "a base's license requires a copy of it and the repository has no LICENSE file or license_link",
        defaultSeverity: .warning,
        relations: [.finetune, .quantized, .merge, .adapter],
        whatItChecks: """
            A base's license requires giving recipients a copy (Llama, Gemma, RAIL, Qwen, Apache-2.0, the CC \
            licenses' link) and the model has neither a LICENSE/COPYING file nor `license_link` in its card; a \
            standard open license (Apache-2.0, MIT, CC BY) the card itself declares by its Hub id is linked by the \
            Hub to its text and needs no copy here. For a \
            merge of bases whose licenses must travel together (Llama and Gemma, Llama and Qwen), each license's \
            text must be among the LICENSE/NOTICE files (found by the license's name).
            """,
        whyItMatters: """
            Llama §1.b.i: "provide a copy of this Agreement with any such Llama Materials"; Apache-2.0 §4(a); \
            Gemma Terms §3.1; OpenRAIL-M §4(b). The Hub links the license page only for the ids it knows.
            """,
        fix: "Add the base's LICENSE file, or `license_link` to its text (shown only).",
        triggering: [
            .card("---\nlicense: ↓llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
            .card("---\nlicense: ↓creativeml-openrail-m\nbase_model: CompVis/stable-diffusion-v1-4\n---\n"),
            RuleExample(["README.md": "---\nlicense: ↓other\nlicense_name: llama3.1-and-gemma\nbase_model:\n- meta-llama/Llama-3.1-8B\n- google/gemma-2-9b-it\n---\n",
                         "LICENSE": "Llama 3.1 Community License Agreement\n"],
                        comment: "a merge of Llama 3.1 and Gemma ships only the Llama text"),
        ],
        nonTriggering: [
            RuleExample(["README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n", "LICENSE": "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n"]),
            .card("---\nlicense: llama3.1\nlicense_link: https://www.llama.com/llama3_1/license/\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
            .card("---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\n---\n",
                  comment: "the base's standard license, declared by its Hub id"),
            RuleExample(["README.md": "---\nlicense: other\nlicense_name: llama3.1-and-gemma\nbase_model:\n- meta-llama/Llama-3.1-8B\n- google/gemma-2-9b-it\n---\n",
                         "LICENSE-llama3.1": "Llama 3.1 Community License Agreement\n", "LICENSE-gemma": "Gemma Terms of Use\n"],
                        comment: "a merge of two restricted families ships both texts"),
            .card("---\nlicense: apache-2.0\nbase_model: stabilityai/stable-diffusion-xl-base-1.0\ntags:\n- t2i-adapter\n---\n",
                  comment: "a T2I-Adapter holds none of the base's weights"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        if c.lineage.adapterKind == .conditioningNetwork { return [] }
        if c.lineage.relation == .merge, c.compatibility.needsCombinedLicense { return combinedTexts(c) }
        guard !c.hasLicenseText else { return [] }
        // A standard open license (Apache-2.0, MIT, CC BY) that the card declares by its Hub id is
        // linked by the Hub to its well-known text: only the other licenses need a copy shipped.
        func standardAndDeclared(_ r: LicenseRecord) -> Bool {
            r.isHubID && r.id == c.declared.record?.id && (r.terms.family == .permissive || r.terms.family == .attribution)
        }
        guard let b = c.bases.first(where: { $0.record.map { $0.terms.copyRequired && !standardAndDeclared($0) } ?? false }),
              let r = b.record else { return [] }
        return [c.finding(Self.description, at: c.licenseLocation,
                          String(message: "\(Clauses.base(b)), which requires giving recipients a copy of \(r.name); the repository has no LICENSE file or license_link"),
                          base: b.id,
                          fix: Fix(.displayOnly, String(message: "add \(c.model.filePath("LICENSE")) with the text of \(r.name)\(r.url.map { " (\($0))" } ?? "")")))].compactMap { $0 }
    }
}

/// ML211: a required "Built with …" line is missing from the README.
extension LicenseCopyMissingRule {
    /// A merge that carries several licenses together (`license: other` naming them): each one's
    /// text must be shipped, so the LICENSE/COPYING files' text is searched for each license's name.
    func combinedTexts(_ c: RuleContext) -> [Finding] {
        // The license files only: a NOTICE names the licenses without being their text.
        let shipped = c.textFiles.licenseOrCopying.compactMap { f in
            f.content.bytes.map { String(decoding: $0, as: UTF8.self) }
        }.joined(separator: "\n")
        return c.combinedLicenses.filter { $0.terms.copyRequired && !NoticeMissingRule.contains(shipped, $0.name) }.compactMap { r in
            let b = c.bases.first { $0.record?.id == r.id }
            return c.finding(Self.description, at: c.licenseLocation,
                             "the merge carries \(r.name) (base \(b?.id ?? r.id)) but ships no copy of it: every base's license text goes with a merge published under `other`",
                             notes: [Clauses.keep(r)], base: b?.id,
                             fix: Fix(.displayOnly, "add the text of \(r.name) to \(c.model.filePath("LICENSE")) or a LICENSE-\(r.id) file" + (r.url.map { " (\($0))" } ?? "")))
        }
    }
}

public struct AttributionMissingRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML211", slug: "attribution-missing",
        summary: "the \"Built with …\" line a base's license requires is not in the README",
        defaultSeverity: .info,
        relations: [.finetune, .quantized, .merge, .adapter],
        whatItChecks: """
            A base's license requires displaying "Built with Meta Llama 3" (llama3), "Built with Llama" \
            (llama3.1+) or "Built with Qwen" (qwen) and the README does not contain it.
            """,
        whyItMatters: """
            Llama 3 §1.b.i: "prominently display 'Built with Meta Llama 3' on a related website, user interface, \
            blogpost, about page, or product documentation"; the model card is where Hub users look. It may be \
            met elsewhere, hence `info`.
            """,
        fix: "`--unsafe-fixes` appends the line to the README.",
        triggering: [
            .card("---\nlicense: ↓llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n# chat\n"),
            .card("---\nlicense: ↓llama3\nbase_model: meta-llama/Meta-Llama-3-8B\n---\n# chat\n", folderName: "Llama-3-chat"),
        ],
        nonTriggering: [
            .card("---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n# chat\n\nBuilt with Llama\n"),
            .card("---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\n---\n"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        // The lines seen: a model has a base or two, so a list, not a set.
        var seen: [String] = []
        // The card's body, lower-cased once for every line; read only when a base asks for one.
        var body: String?
        var out: [Finding] = []
        for b in c.bases {
            guard let line = b.license?.record?.terms.builtWith, !seen.contains(line) else { continue }
            seen.append(line)
            if let card = c.card {
                let lower = body ?? card.body.lowercased()
                body = lower
                if Self.contains(lower, line.lowercased()) { continue }
            }
            if let f = c.finding(Self.description, at: c.licenseLocation,
                                 String(message: "the README does not say \"\(line)\"; \(Clauses.base(b)), which asks derivatives to display it"),
                                 base: b.id, fix: Fix(.unsafe, "append \"\(line)\" to the README", .appendToBody(line))) {
                out.append(f)
            }
        }
        return out
    }

    /// Whether `text` contains `line` (``ModelCard/bodyContains(_:)`` once both are lower-cased):
    /// bytes are compared when both are ASCII and the line has no line break, where a match of
    /// bytes is a match of characters; `String.contains` otherwise.
    static func contains(_ text: String, _ line: String) -> Bool {
        let needle = Array(line.utf8)
        guard !needle.isEmpty, needle.allSatisfy({ $0 < 0x80 && $0 != 0x0A && $0 != 0x0D }),
              text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.contains(line) }
        return ModelDiscovery.contains(Array(text.utf8), needle)
    }
}

/// ML301: the model declares a software or content license rather than one written for models.
public struct NonModelLicenseRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML301", slug: "non-model-license",
        summary: "the model declares a software or content license, not one written for models",
        defaultSeverity: .info,
        whatItChecks: """
            The card's license is a software or content license (Apache, MIT, BSD, GPL family, Creative Commons, \
            …) rather than one written for models (OpenRAIL, Llama, Gemma, OpenMDW, ModelGo, …), and it is not \
            simply a base's own license passed on.
            """,
        whyItMatters: """
            Software licenses speak of source code and object code, CC licenses of works and adaptations; how \
            they apply to weights, outputs and merges is unsettled. The paper's "License Mismatch" row; \
            OpenMDW and the ModelGo licenses are written for models.
            """,
        fix: "None automatic: consider a license written for models (openmdw-1.1, mg-by, an OpenRAIL license).",
        triggering: [
            .card("---\nlicense: ↓apache-2.0\n---\n"),
            .card("---\nlicense: ↓cc-by-4.0\n---\n"),
        ],
        nonTriggering: [
            .card("---\nlicense: openmdw-1.1\n---\n"),
            .card("---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
            .card("---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\n---\n",
                  comment: "the base's own license, kept: nothing to act on"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        guard let r = c.declared.record, !r.terms.writtenForModels, r.terms.family != .special,
              let f = c.card?.license else { return [] }
        // Keeping a base's own license is nothing to act on: the publisher passed on what it received.
        if c.bases.contains(where: { $0.record?.id == r.id }) { return [] }
        return [c.finding(Self.description, at: f.location,
                          "\(r.name) was written for software or content, not for model weights",
                          fix: Fix(.displayOnly, "consider a license written for models"))].compactMap { $0 }
    }
}
