import MLicenseYAML
import Testing

@Suite struct YAMLQuotingTests {
    /// What the writer quotes, libyaml reads back as the same text.
    @Test(arguments: [
        "plain", "", "a: b # c", "quote \" and \\ backslash", "tab\tnew\nline\rreturn",
        "\u{0}\u{1}\u{1F}\u{7F}", "\u{85}next line\u{2028}\u{2029}", "\u{FEFF}bom", "\u{FFFE}\u{FFFF}",
        "yes", "~", "0x10", "- item", "ünïcødé 模型 🦙",
    ])
    func roundTripsThroughLibyaml(_ text: String) throws {
        let doc = try YAML.parse(Array("key: \(YAMLQuoting.doubleQuoted(text))\n".utf8))
        #expect(doc.root?["key"]?.string == text)
    }
}
