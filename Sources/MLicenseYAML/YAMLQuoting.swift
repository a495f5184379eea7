/// Writing YAML scalars (the parser is libyaml's; this only writes text that it reads back).
public enum YAMLQuoting {
    /// `text` as a YAML double-quoted scalar: `\` and `"` escaped, control characters, C1
    /// controls, line separators, the BOM and non-characters as `\u` escapes (YAML 1.1 §5.7, which
    /// libyaml reads), everything else as it is.
    public static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                let v = u.value
                if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || v == 0xFEFF
                    || (0xFFFE...0xFFFF).contains(v) {
                    let hex = String(v, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
