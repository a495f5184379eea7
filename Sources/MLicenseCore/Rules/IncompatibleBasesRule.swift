/// ML206: a merge whose bases' terms cannot all hold.
public struct IncompatibleBasesRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML206", slug: "incompatible-bases",
        summary: "a merge combines bases whose licenses cannot all be honoured",
        defaultSeverity: .error,
        relations: [.merge],
        whatItChecks: """
            A merge has bases whose licenses leave no license for the result: a copyleft base (CC BY-SA, \
            CC BY-NC-SA, GPL family, MG-BY-SA) with any base under other restrictive terms (another ShareAlike \
            license, use restrictions, non-commercial or vendor terms); a GPL-2.0 (only) base with an Apache-2.0 \
            base.
            """,
        whyItMatters: """
            A merge redistributes every base's weights, so every license must hold at once (RULES.md §2). \
            ShareAlike and the GPL forbid adding terms (CC BY-SA 4.0 §2(a)(5)(B), §3(b); GPL-3.0 §10), so \
            they cannot meet another license's restrictions: CC-BY-SA with CC-BY-NC-SA, GPL with RAIL or Llama. \
            GPL-2.0 §6 allows no further restrictions, and Apache-2.0's patent termination and indemnity terms \
            are ones (https://www.gnu.org/licenses/license-list.html#apache2: not compatible with GPL version 2). \
            The paper's CCf and FSFf rows.
            """,
        fix: "None by editing the card: drop one of the clashing bases from the merge.",
        triggering: [
            RuleExample(["README.md": "---\nlicense: ↓cc-by-sa-4.0\nbase_model:\n- x/sa-model\n- x/nc-sa-model\n---\n"],
                        configuration: "base-licenses:\n  x/sa-model: cc-by-sa-4.0\n  x/nc-sa-model: cc-by-nc-sa-4.0\n"),
            RuleExample(["README.md": "---\nlicense: ↓gpl-3.0\nbase_model:\n- x/gpl-model\n- CompVis/stable-diffusion-v1-4\n---\n"],
                        configuration: "base-licenses:\n  x/gpl-model: gpl-3.0\n"),
            RuleExample(["README.md": "---\nlicense: ↓gpl-2.0\nbase_model:\n- x/gpl2-model\n- mistralai/Mistral-7B-v0.1\n---\n"],
                        configuration: "base-licenses:\n  x/gpl2-model: GPL-2.0-only\n",
                        comment: "GPL-2.0 with Apache-2.0"),
        ],
        nonTriggering: [
            RuleExample(["README.md": "---\nlicense: cc-by-nc-sa-4.0\nbase_model:\n- x/nc-sa-model\n- mistralai/Mistral-7B-v0.1\n---\n"],
                        configuration: "base-licenses:\n  x/nc-sa-model: cc-by-nc-sa-4.0\n"),
            RuleExample(["README.md": "---\nlicense: apache-2.0\nbase_model:\n- mistralai/Mistral-7B-v0.1\n- HuggingFaceH4/zephyr-7b-beta\n---\n"]),
            RuleExample(["README.md": "---\nlicense: gpl-3.0\nbase_model:\n- x/gpl2-model\n- mistralai/Mistral-7B-v0.1\n---\n"],
                        configuration: "base-licenses:\n  x/gpl2-model: GPL-2.0-or-later\n",
                        comment: "GPL-2.0-or-later may go to GPL-3.0, which accepts Apache-2.0"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        let clash = c.compatibility.clashingBases
        guard clash.count >= 2 else { return [] }
        return [c.finding(Self.description, at: c.licenseLocation,
                          "the bases' licenses cannot all hold in one merge: " + clash.map(\.display).joined(separator: " and "),
                          notes: clash.compactMap { $0.record.map(Clauses.keep) },
                          base: clash[0].id,
                          fix: Fix(.displayOnly, "drop one of the clashing bases from the merge"))].compactMap { $0 }
    }
}
