/// Escaping of paths and messages for the line-oriented reports (text, lines, hook output), so
/// that a file name holding a newline, a tab or an escape sequence can neither forge a report line
/// nor drive the terminal.
public enum ReportText {
    /// `path` as git quotes it (`core.quotePath`, `quote_c_style`): unchanged when it holds no
    /// control character, `"` or `\`; otherwise in double quotes with `\a \b \t \n \v \f \r \" \\`
    /// and other control bytes in octal (`\033` for ESC, `\177` for DEL). Non-ASCII characters stay
    /// as they are (git's `core.quotePath=false`), being printable.
    public static func escapedPath(_ path: String) -> String {
        var out = ByteBuffer()
        out.appendQuotedPath(path)
        return out.string()
    }

    /// `text` with its control characters written as in ``escapedPath(_:)`` but without quotes
    /// (`"` and `\` stay): for messages, which may quote a name.
    public static func escapedText(_ text: String) -> String {
        var out = ByteBuffer()
        out.appendEscapedText(text)
        return out.string()
    }

    /// Whether `b` is a byte git escapes: a C0 control character or DEL.
    @inline(__always)
    static func isControl(_ b: UInt8) -> Bool { b < 0x20 || b == 0x7F }
}

extension ByteBuffer {
    /// Appends `path` quoted as ``ReportText/escapedPath(_:)`` says.
    mutating func appendQuotedPath(_ path: String) {
        let needsQuotes = path.utf8.contains { ReportText.isControl($0) || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        guard needsQuotes else { return append(path) }
        append(UInt8(ascii: "\""))
        for b in path.utf8 {
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                append(UInt8(ascii: "\\"), b)
            } else if ReportText.isControl(b) {
                appendControlEscape(b)
            } else {
                append(b)
            }
        }
        append(UInt8(ascii: "\""))
    }

    /// Appends `text` with its control characters escaped (``ReportText/escapedText(_:)``).
    mutating func appendEscapedText(_ text: String) {
        guard text.utf8.contains(where: ReportText.isControl) else { return append(text) }
        for b in text.utf8 {
            if ReportText.isControl(b) { appendControlEscape(b) } else { append(b) }
        }
    }

    /// `\t`-style for the characters C names, three octal digits for the others.
    private mutating func appendControlEscape(_ b: UInt8) {
        let named: UInt8?
        switch b {
        case 0x07: named = UInt8(ascii: "a")
        case 0x08: named = UInt8(ascii: "b")
        case 0x09: named = UInt8(ascii: "t")
        case 0x0A: named = UInt8(ascii: "n")
        case 0x0B: named = UInt8(ascii: "v")
        case 0x0C: named = UInt8(ascii: "f")
        case 0x0D: named = UInt8(ascii: "r")
        default: named = nil
        }
        if let named { return append(UInt8(ascii: "\\"), named) }
        append(UInt8(ascii: "\\"))
        append(UInt8(ascii: "0") + (b >> 6))
        append(UInt8(ascii: "0") + ((b >> 3) & 7))
        append(UInt8(ascii: "0") + (b & 7))
    }
}
