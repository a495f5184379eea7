/// How a model reference found in a file is to be read.
public enum ModelReferenceKind: Sendable, Hashable {
    /// A Hugging Face Hub id, `org/name` (or a legacy single-name id such as `gpt2`).
    case hub
    /// A path on someone's disk (`/mnt/models/x`, `./out`, `~/llama`): not resolvable.
    case localPath
    /// Empty or not a usable id.
    case invalid
}

/// Reading model ids as the Hub and the tools write them.
public enum ModelReference {
    /// Classifies `text` (already trimmed of `@revision`).
    ///
    /// A Hub id is `name` or `org/name` of letters, digits, `-`, `_`, `.` (FORMATS.md §2.3: the Hub's
    /// `^[\w.-]+/[\w.-]+$`), with no `..` segment; anything starting with `/`, `~`, `.` or holding more
    /// than one `/` is a local path (mergekit's `is_hf`).
    public static func classify(_ text: String) -> ModelReferenceKind {
        if let kind = classifyASCII(text) { return kind }
        let t = text.trimmed(" \t")
        guard !t.isEmpty else { return .invalid }
        if t.hasPrefix("/") || t.hasPrefix("~") || t.hasPrefix(".") || t.contains("\\") { return .localPath }
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 2 { return .localPath }
        for p in parts {
            guard !p.isEmpty, p != ".", p != "..", !p.hasPrefix("."),
                  p.unicodeScalars.allSatisfy({ $0.isASCII && (isWordScalar($0) || $0 == "-" || $0 == ".") })
            else { return .invalid }
        }
        return .hub
    }

    /// ``classify(_:)`` byte by byte for ASCII text without CR (where characters are bytes); nil
    /// for other text.
    private static func classifyASCII(_ text: String) -> ModelReferenceKind? {
        text.withContiguousUTF8 { all -> ModelReferenceKind? in
            guard all.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
            var lo = 0, hi = all.count
            while lo < hi, all[lo] == 0x20 || all[lo] == 0x09 { lo += 1 }
            while hi > lo, all[hi - 1] == 0x20 || all[hi - 1] == 0x09 { hi -= 1 }
            guard lo < hi else { return .invalid }
            let t = all[lo..<hi]
            let first = all[lo]
            if first == UInt8(ascii: "/") || first == UInt8(ascii: "~") || first == UInt8(ascii: ".")
                || t.contains(UInt8(ascii: "\\")) { return .localPath }
            // Not empty, not `.`/`..`, not starting with `.`; word characters, `-` and `.` only.
            func isName(_ part: some Collection<UInt8>) -> Bool {
                guard let f = part.first, f != UInt8(ascii: ".") else { return false }
                return part.allSatisfy { isWordScalar(Unicode.Scalar($0)) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
            }
            guard let slash = t.firstIndex(of: UInt8(ascii: "/")) else { return isName(t) ? .hub : .invalid }
            let rest = t[(slash + 1)...]
            if rest.contains(UInt8(ascii: "/")) { return .localPath }
            return isName(t[..<slash]) && isName(rest) ? .hub : .invalid
        }
    }

    private static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "_"
    }

    /// The Hub id in a `https://huggingface.co/org/name` URL (trailing slash, `/tree/…`, `/blob/…`
    /// tolerated), or nil.
    public static func hubID(fromURL url: String) -> String? {
        var rest = Substring(url.trimmed(" \t"))
        for prefix in ["https://huggingface.co/", "http://huggingface.co/", "https://hf.co/", "http://hf.co/"]
        where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            let parts = rest.split(separator: "/", omittingEmptySubsequences: true)
            guard parts.count >= 2 else { return nil }
            if parts.count > 2, !["tree", "blob", "resolve", "commit", "discussions"].contains(parts[2]) { return nil }
            let id = "\(parts[0])/\(parts[1])"
            return classify(id) == .hub && !["datasets", "spaces"].contains(String(parts[0])) ? id : nil
        }
        return nil
    }

    /// `text` as a model id: a `https://huggingface.co/org/name` URL becomes `org/name` (the Hub
    /// reads `base_model` as an id, and people paste the page's address); anything else as it is.
    public static func id(_ text: String) -> String {
        let t = text.trimmed(" \t")
        guard t.hasPrefix("http") else { return text }
        return hubID(fromURL: t) ?? text
    }

    /// Splits a mergekit reference `model[@rev][+lora[@rev]]` into the model and LoRA ids without
    /// revisions (mergekit `common.py` `ModelReference.parse`).
    public static func splitMergekit(_ text: String) -> [String] {
        text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: true).map { part in
            let s = String(part).trimmed(" \t")
            if let at = s.firstIndex(of: "@") { return String(s[..<at]) }
            return s
        }
    }
}
