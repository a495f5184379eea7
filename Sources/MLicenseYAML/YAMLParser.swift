internal import CYAML

/// Parses YAML with libyaml into ``YAMLNode`` trees with source spans.
public enum YAML {
    /// Parses the first document of `bytes[range]` (UTF-8).
    ///
    /// Marks are reported relative to the whole of `bytes`: offsets are byte offsets into `bytes`,
    /// and lines count from `firstLine` at `range.lowerBound` (which must be the start of a line).
    /// Duplicate keys are reported in ``YAMLDocument/duplicateKeys``, not merged.
    public static func parse(
        _ bytes: [UInt8],
        range: Range<Int>? = nil,
        firstLine: Int = 1,
        limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLDocument {
        throw YAMLError(message: "not implemented", mark: YAMLMark(offset: 0, line: firstLine, column: 1))
    }
}
