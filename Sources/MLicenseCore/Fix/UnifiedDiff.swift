/// Unified diffs of file changes, as `git diff` and `ruff --diff` show them.
public enum UnifiedDiff {
    /// The unified diff turning `before` into `after` (nil `before`: a new file, shown against
    /// `/dev/null`), with 3 lines of context; empty when nothing changes.
    ///
    /// Lines are compared with their line endings; a carriage return of a CRLF line stays in the
    /// line's text. A last line without a line ending is followed by `\ No newline at end of file`.
    public static func render(path: String, before: [UInt8]?, after: [UInt8], context: Int = 3) -> String {
        let a = lines(before ?? []), b = lines(after)
        if a == b && before != nil { return "" }
        var out = (before == nil ? "--- /dev/null\n" : "--- a/\(path)\n") + "+++ b/\(path)\n"
        let ops = diff(a, b)
        // Group the changes into hunks: runs of edits with at most 2 × context equal lines between.
        var i = 0
        while i < ops.count {
            guard let firstChange = ops[i...].firstIndex(where: { $0.kind != .equal }) else { break }
            var end = firstChange
            var j = firstChange
            while j < ops.count {
                if ops[j].kind != .equal { end = j; j += 1; continue }
                let run = ops[j...].prefix { $0.kind == .equal }.count
                if j + run >= ops.count || run > 2 * context { break }
                j += run
            }
            let start = max(i, firstChange - context)
            let stop = min(ops.count, end + 1 + context)
            let hunk = ops[start..<stop]
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            let oldStart = (hunk.first { $0.kind != .insert }?.old ?? ops[..<start].last { $0.kind != .insert }.map { $0.old + 1 } ?? 0)
            let newStart = (hunk.first { $0.kind != .delete }?.new ?? ops[..<start].last { $0.kind != .delete }.map { $0.new + 1 } ?? 0)
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for op in hunk {
                let line = op.kind == .insert ? b[op.new] : a[op.old]
                let mark = op.kind == .equal ? " " : op.kind == .delete ? "-" : "+"
                out += mark + String(decoding: line.text, as: UTF8.self) + "\n"
                if !line.hasBreak { out += "\\ No newline at end of file\n" }
            }
            i = stop
        }
        return out
    }

    /// `start,count` with GNU diff's conventions: 1-based start, the line before for an empty range,
    /// `,count` left out when it is 1.
    private static func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
    }

    private struct Line: Equatable {
        var text: ArraySlice<UInt8>
        var hasBreak: Bool
    }

    /// The lines of `bytes`, split after each LF; the text keeps a CR before the LF.
    private static func lines(_ bytes: [UInt8]) -> [Line] {
        var result: [Line] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            result.append(Line(text: bytes[start..<i], hasBreak: true))
            start = i + 1
        }
        if start < bytes.count { result.append(Line(text: bytes[start...], hasBreak: false)) }
        return result
    }

    private enum Kind { case equal, delete, insert }
    private struct Op { var kind: Kind; var old: Int; var new: Int }

    /// An edit script: common prefix and suffix, and a longest common subsequence of the middle
    /// (or, past a size where that costs too much, the middle deleted and inserted whole).
    private static func diff(_ a: [Line], _ b: [Line]) -> [Op] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        var ops = (0..<prefix).map { Op(kind: .equal, old: $0, new: $0) }
        let n = a.count - prefix - suffix, m = b.count - prefix - suffix
        if n * m <= 4_000_000 {
            // lcs[i][j]: length of the LCS of a[prefix+i...] and b[prefix+j...] (middle only).
            var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i][j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, a[prefix + i] == b[prefix + j] {
                    ops.append(Op(kind: .equal, old: prefix + i, new: prefix + j)); i += 1; j += 1
                } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                    ops.append(Op(kind: .delete, old: prefix + i, new: prefix + j)); i += 1
                } else {
                    ops.append(Op(kind: .insert, old: prefix + i, new: prefix + j)); j += 1
                }
            }
        } else {
            ops += (0..<n).map { Op(kind: .delete, old: prefix + $0, new: prefix) }
            ops += (0..<m).map { Op(kind: .insert, old: prefix + n, new: prefix + $0) }
        }
        ops += (0..<suffix).map { Op(kind: .equal, old: a.count - suffix + $0, new: b.count - suffix + $0) }
        return ops
    }
}
