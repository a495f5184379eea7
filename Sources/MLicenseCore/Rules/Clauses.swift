/// The clause of a license that binds a derivative, in one line, for messages.
public enum Clauses {
    /// Why a derivative of a base under `record` must keep its terms.
    public static func keep(_ record: LicenseRecord) -> String {
        let name = record.name
        switch record.terms.family {
        case .llama:
            return "\(name) §1.b.i: a copy of the agreement goes with every derivative and the agreement grants no right to relicense"
        case .gemma:
            return "Gemma Terms of Use §3.1: derivatives are distributed subject to the Gemma terms, with their use restrictions (§3.2) and a copy of the terms"
        case .rail:
            // Every RAIL-family text (CreativeML and BigScience OpenRAIL-M, BLOOM RAIL, BigCode, OpenRAIL++, and
            // the DeepSeek License built on them) numbers the clause the same way: paragraph 4(a), 4(b), 5.
            return "\(name) §4(a): the use-based restrictions of §5 (Attachment A) must be included as an enforceable provision in any license of a derivative, and recipients get a copy of the license (§4(b))"
        case .copyleft:
            if record.id.hasPrefix("cc-") {
                return "\(name) §3(b) ShareAlike: adapted material must be shared under the same license (or a later version, or a BY-SA compatible one); another label does not lift it"
            }
            if record.id.hasPrefix("mg-") { return "\(name): derivatives must be released under the same license" }
            return "\(name): derivative works are conveyed under the same license and no further restrictions may be added (GPL-3.0 §5(c), §10)"
        case .nonCommercial:
            if record.id.contains("-sa") {
                return "\(name): NonCommercial (§1) and ShareAlike (§3(b)): adaptations stay non-commercial under the same license, whatever the derivative's label says"
            }
            return "\(name) §1 NonCommercial: the material and adaptations may not be used for commercial purposes; the limit stays whatever the derivative's label says"
        case .noDerivatives:
            return "\(name) NoDerivatives: adapted material may not be shared at all"
        case .vendor, .modelgo:
            return "\(name): derivatives stay under its terms" + (record.terms.nonCommercial ? ", for non-commercial or research use only; the limit stays whatever the derivative's label says" : "")
        case .permissive, .attribution, .special:
            return "\(name): keep the notices"
        }
    }

    /// "meta-llama/Llama-3.1-8B is under llama3.1 (from the registry)".
    public static func base(_ b: ResolvedBase) -> String {
        let lic = b.license?.display ?? "an unknown license"
        let from: String
        switch b.source {
        case .config: from = "as .mlicense.yml says"
        case .repo: from = "as its card in this repository says"
        case .registry: from = b.reuploadOf.map { "a re-upload of \($0)" } ?? "per the registry"
        case .hfCache: from = "as its card in the Hugging Face cache says"
        case .lock: from = "as mlicense.lock records"
        case .corpus: from = "as its entry in the audited corpus says"
        case .unknown: from = "unresolved"
        }
        if let via = b.via {
            return String(message: "ancestor \(b.id) is under \(lic) (\(from)) through \(via.display)\(via.droppedBy.map { ", and \($0) dropped its terms" } ?? "")")
        }
        return String(message: "base \(b.id) is under \(lic) (\(from))")
    }
}
