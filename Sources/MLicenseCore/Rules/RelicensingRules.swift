extension RuleContext {
    /// The findings of `rule` for every base whose license the declared license breaks in `breach`.
    func breachFindings(_ rule: RuleDescription, _ breach: Breach) -> [Finding] {
        var findings = compatibility.breaches.filter { $0.breach == breach }.compactMap { b -> Finding? in
            guard let record = b.base.record else { return nil }
            // The base's own license first: it is the one that certainly fits.
            let ordered = b.allowed.filter { $0.lowercased() == record.id.lowercased() } + b.allowed.filter { $0.lowercased() != record.id.lowercased() }
            let allowed = ordered.prefix(6).joined(separator: ", ") + (ordered.count > 6 ? ", …" : "")
            var notes = [Clauses.keep(record)]
            notes.append(contentsOf: b.base.ref.evidence.prefix(2).map { "\($0.description) (\($0.location.display))" })
            if let n = adapterNote(record, rule: rule) { notes.append(n) }
            var message = "license is \(declared.display), but \(Clauses.base(b.base)); \(lineage.relation?.noun ?? "a derivative") may only be published under \(allowed)"
            if compatibility.needsCombinedLicense {
                let names = combinedLicenses.map(\.id).joined(separator: " and ")
                message += "; no single license id satisfies \(names) at once: the merge needs `license: other` with a license_name naming them"
                notes.append("ship each license's text (LICENSE files) and a NOTICE with every required notice (ML209, ML210)")
            }
            // The base's own license first: the fix keeps its terms, not a sibling the family accepts.
            let own = b.allowed.first { $0.lowercased() == record.id.lowercased() } ?? b.allowed.first
            guard var f = finding(rule, at: licenseLocation, message, notes: notes, base: b.base.id,
                                  fix: relicenseFix(fallback: own), adapterIsDerivative: adapterIsDerivative(under: record))
            else { return nil }
            if let condition = record.terms.relicenseConditional {
                // Other terms are allowed on conditions the card cannot show: check them by hand.
                f.notes.append("other terms are allowed on conditions: \(condition)")
                f.severity = min(f.severity, .warning)
                f.settled = false
            }
            if declared.isUnidentified {
                // A bare `other` names no license: unstated rather than wrong, so a warning.
                f.notes.append("`other` without license_name, license_link or a LICENSE file states no license, so the base's terms are not stated")
                f.severity = min(f.severity, .warning)
                f.settled = false
            }
            return f
        }
        // A license stated only in the body: the same check, as a warning at most, at the body line.
        if let (stated, report) = bodyLicense {
            for b in report.breaches where b.breach == breach {
                guard var f = finding(rule, at: stated.location,
                                      "the card's body says the license is \(stated.value), but \(Clauses.base(b.base)); \(lineage.relation?.noun ?? "a derivative") may only be published under \(b.allowed.prefix(6).joined(separator: ", "))",
                                      notes: b.base.record.map { [Clauses.keep($0), "the Hub reads only the card's license field (ML001)"] } ?? [],
                                      base: b.base.id) else { continue }
                f.severity = min(f.severity, .warning)
                findings.append(f)
            }
        }
        return findings
    }
}

/// ML202: a ShareAlike/GPL-family base and a derivative under a license it does not allow.
public struct CopyleftNotKeptRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML202", slug: "copyleft-not-kept",
        summary: "a copyleft base's license is not kept",
        defaultSeverity: .error, lenientAdapterSeverity: .warning,
        relations: [.finetune, .quantized, .merge, .adapter],
        whatItChecks: """
            A base is under a ShareAlike or GPL-family license (cc-by-sa-*, cc-by-nc-sa-*, gpl-*, lgpl-*, \
            agpl-3.0, mg-by-sa) and the derivative declares a license that license does not allow: another \
            license, an earlier version, or BY-SA → BY-NC-SA.
            """,
        whyItMatters: """
            ShareAlike requires adapted material to be shared under the same license or a later version or a \
            compatible one (CC BY-SA 4.0 §3(b); https://creativecommons.org/compatiblelicenses, BY-SA 4.0 → \
            GPL-3.0 one way); the GPL requires derivative works under the GPL (GPL-3.0 §5(c)). The paper's \
            "Copyleft Violation" row.
            """,
        fix: "`--fix` sets `license:` to the base's license when it is the only answer.",
        triggering: [
            .card("---\nlicense: ↓apache-2.0\nbase_model: stabilityai/stablelm-3b-4e1t\n---\n"),
            .card("---\nlicense: ↓mit\nbase_model: x/sa-model\n---\n", configuration: "base-licenses:\n  x/sa-model: gpl-3.0\n"),
        ],
        nonTriggering: [
            .card("---\nlicense: cc-by-sa-4.0\nbase_model: stabilityai/stablelm-3b-4e1t\n---\n"),
            .card("---\nlicense: gpl-3.0\nbase_model: stabilityai/stablelm-3b-4e1t\n---\n", comment: "CC BY-SA 4.0 → GPL-3.0 is allowed"),
        ])

    public func check(_ c: RuleContext) -> [Finding] { c.breachFindings(Self.description, .copyleft) }
}

/// ML203: a NonCommercial base and a derivative license that allows commercial use.
public struct NoncommercialDroppedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML203", slug: "noncommercial-dropped",
        summary: "a non-commercial base's restriction is dropped",
        defaultSeverity: .error, lenientAdapterSeverity: .warning,
        relations: [.finetune, .quantized, .merge, .adapter],
        whatItChecks: """
            A base is NonCommercial (cc-by-nc-*, qwen-research, mrl, mnpl, flux-1-dev-non-commercial-license, \
            fair-noncommercial-research-license, mg-by-nc, …) and the derivative declares a license that \
            allows commercial use.
            """,
        whyItMatters: """
            The NonCommercial term binds the material and what is adapted from it (CC BY-NC 4.0 §1(i), §2(a)(1); \
            the Qwen Research, Mistral Research and FLUX.1 [dev] licenses likewise): the limit stays whatever the \
            derivative's label says, so a permissive label only invites commercial users into a breach.
            """,
        fix: "Set `license:` to a non-commercial license the base allows (its own, safe when it is the only answer).",
        triggering: [
            .card("---\nlicense: ↓apache-2.0\nbase_model: x/nc-model\n---\n", configuration: "base-licenses:\n  x/nc-model: cc-by-nc-4.0\n"),
            .card("---\nlicense: ↓mit\nbase_model: black-forest-labs/FLUX.1-dev\n---\n"),
            .card("---\nlicense: ↓apache-2.0\nbase_model: mistralai/Ministral-8B-Instruct-2410\nlibrary_name: peft\n---\n",
                  comment: "a LoRA on a Mistral Research License model: an adapter is a Derivative (MRL §1)"),
        ],
        nonTriggering: [
            .card("---\nlicense: cc-by-nc-4.0\nbase_model: x/nc-model\n---\n", configuration: "base-licenses:\n  x/nc-model: cc-by-nc-4.0\n"),
            .card("---\nlicense: cc-by-nc-sa-4.0\nbase_model: x/nc-model\n---\n", configuration: "base-licenses:\n  x/nc-model: cc-by-nc-4.0\n"),
        ])

    public func check(_ c: RuleContext) -> [Finding] { c.breachFindings(Self.description, .nonCommercial) }
}

/// ML204: a base's license cannot be changed and the derivative declares another one.
public struct LicenseNotKeptRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML204", slug: "license-not-kept",
        summary: "a base's license cannot be changed and the derivative declares another",
        defaultSeverity: .error, lenientAdapterSeverity: .warning,
        relations: [.finetune, .quantized, .merge, .adapter],
        whatItChecks: """
            A base is under a license that derivatives must keep (llama2, llama3, llama3.1–3.3, llama4, gemma, \
            qwen, tongyi-qianwen, falcon, stabilityai-community, deepseek, the ModelGo options, …) and the card \
            declares another license.
            """,
        whyItMatters: """
            These licenses grant no right to relicense: the Llama licenses require a copy of the agreement with \
            every derivative (§1.b.i), Gemma's terms travel with derivatives (Gemma Terms §3.1), Qwen's and other \
            vendor licenses require derivatives under their terms. The paper's "Copyleft-style Terms" and \
            La2E-/La3E-license rows: the most common breach on the Hub. For an adapter, the license's own \
            definition decides (`mlicense licenses ID` quotes it): Llama's "derivative works" and "create, train, \
            fine tune, or otherwise improve an AI model" (§1.b.i), Gemma's "Model Derivatives" (§1.1(e)), the \
            Mistral and FLUX.1 [dev] "Derivative" (§1) reach an adapter trained on the model.
            """,
        fix: "`--fix` sets `license:` to the base's license (`other` + `license_name` for licenses the Hub does not list).",
        triggering: [
            .card("---\nlicense: ↓apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n", comment: "a Llama 3.1 finetune declared Apache-2.0"),
            .card("---\nlicense: ↓apache-2.0\nbase_model: google/gemma-3-12b-it\nbase_model_relation: quantized\n---\n"),
            .card("---\nlicense: ↓mit\nbase_model: meta-llama/Llama-2-7b-hf\n---\n"),
            RuleExample(["README.md": "---\nlicense: ↓mit\n---\n",
                         "adapter_config.json": "{\"peft_type\": \"LORA\", \"base_model_name_or_path\": \"meta-llama/Llama-3.2-3B-Instruct\"}\n"],
                        comment: "a LoRA on Llama 3.2: an error, the license reaches derivative works (§1.b.i)"),
            .card("---\nlicense: ↓apache-2.0\nbase_model: https://huggingface.co/google/gemma-2-9b-it\n---\n",
                  comment: "base_model written as the model page's URL"),
            .card("---\nlicense: ↓llama3.1\nbase_model:\n- meta-llama/Llama-3.1-8B\n- google/gemma-2-9b-it\n---\n",
                  comment: "a merge of Llama 3.1 and Gemma: no single id satisfies both"),
        ],
        nonTriggering: [
            .card("---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
            .card("---\nlicense: gemma\nbase_model: google/gemma-3-12b-it\n---\n"),
            .card("---\nlicense: other\nlicense_name: llama-2-community-license\nlicense_link: https://ai.meta.com/llama/license/\nbase_model: meta-llama/Llama-2-7b-hf\n---\n",
                  comment: "`other` naming the Llama 2 license keeps it"),
            .card("---\nlicense: other\nlicense_name: llama3.1-and-gemma\nlicense_link: LICENSE\nbase_model:\n- meta-llama/Llama-3.1-8B\n- google/gemma-2-9b-it\n---\n",
                  comment: "the merge names both licenses"),
            .card("---\nlicense: apache-2.0\nbase_model: google/gemma-4-E4B-it\nbase_model_relation: finetune\n---\n",
                  comment: "Gemma 4 is Apache-2.0: a family's license is never read from its name"),
        ])

    public func check(_ c: RuleContext) -> [Finding] { c.breachFindings(Self.description, .notKept) }
}

/// ML205: a RAIL-family base and a derivative license without its use restrictions.
public struct UseRestrictionsDroppedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML205", slug: "use-restrictions-dropped",
        summary: "a RAIL base's use restrictions are dropped",
        defaultSeverity: .error, lenientAdapterSeverity: .warning,
        relations: [.finetune, .quantized, .merge, .adapter],
        whatItChecks: """
            A base is under a Responsible AI license (openrail, creativeml-openrail-m, bigscience-openrail-m, \
            bigscience-bloom-rail-1.0, bigcode-openrail-m, openrail++, deepseek) and the derivative declares a \
            license without its use restrictions.
            """,
        whyItMatters: """
            RAIL licenses let derivatives use other terms only if the use-based restrictions (Attachment A) are \
            included as enforceable provisions (CreativeML OpenRAIL-M §4(a); https://www.licenses.ai, \
            https://huggingface.co/blog/open_rail). A permissive label drops them.
            """,
        fix: "Set `license:` to the base's RAIL license (safe when it is the only answer).",
        triggering: [
            .card("---\nlicense: ↓mit\nbase_model: CompVis/stable-diffusion-v1-4\n---\n"),
            .card("---\nlicense: ↓apache-2.0\nbase_model: bigscience/bloom\n---\n"),
            .card("---\nlicense: ↓mit\nbase_model: stabilityai/stable-diffusion-xl-base-1.0\ntags:\n- lora\n---\n",
                  comment: "an SDXL LoRA modifies the model (OpenRAIL++-M \"Derivatives of the Model\")"),
        ],
        nonTriggering: [
            .card("---\nlicense: creativeml-openrail-m\nbase_model: CompVis/stable-diffusion-v1-4\n---\n"),
            .card("---\nlicense: openrail\nbase_model: CompVis/stable-diffusion-v1-4\n---\n"),
            .card("---\nlicense: openrail++\nbase_model: stabilityai/stable-diffusion-xl-base-1.0\ntags:\n- lora\n---\n"),
        ])

    public func check(_ c: RuleContext) -> [Finding] { c.breachFindings(Self.description, .useRestrictions) }
}
