/// Writing YAML scalars (the parser is libyaml's; this only writes text that it reads back).
public enum YAMLQuoting {
    /// `text` as a YAML double-quoted scalar: `\` and `"` escaped, control characters, C1
    /// controls, line separators, the BOM and non-characters as `\u` escapes (YAML 1.1 §5.7, which
    /// libyaml reads), everything else as it is.
    public static func doubleQuoted(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        appendDoubleQuoted(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``doubleQuoted(_:)``'s scalar to `out`, as UTF-8.
    public static func appendDoubleQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for u in text.unicodeScalars {
            switch u {
            case "\\": out.append(contentsOf: "\\\\".utf8)
            case "\"": out.append(contentsOf: "\\\"".utf8)
            case "\n": out.append(contentsOf: "\\n".utf8)
            case "\t": out.append(contentsOf: "\\t".utf8)
            case "\r": out.append(contentsOf: "\\r".utf8)
            default:
                let v = u.value
                if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || v == 0xFEFF
                    || (0xFFFE...0xFFFF).contains(v) {
                    let hex = Array("0123456789ABCDEF".utf8)
                    out.append(contentsOf: "\\u".utf8)
                    for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((v >> UInt32(shift)) & 15)]) }
                } else if v < 0x80 {
                    out.append(UInt8(v))
                } else {
                    UTF8.encode(u) { out.append($0) }
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
