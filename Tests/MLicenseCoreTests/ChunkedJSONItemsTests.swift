@testable import MLicenseCore
import Testing

/// `JSONWriter.items` writes long arrays in chunks over the cores: the bytes must be those of
/// writing the items one by one, at any depth and count (the report goldens hold short arrays,
/// which never take the chunked path).
@Suite("Chunked JSON array items")
struct ChunkedJSONItemsTests {
    func findings(_ n: Int) -> [Finding] {
        (0..<n).map { i in
            Finding(code: "ML20\(i % 10)", rule: "rule-\(i % 7)", severity: i % 3 == 0 ? .error : .warning,
                    model: "models/m\(i)", location: SourceLocation(path: "models/m\(i)/README.md", line: i % 50 + 1, column: 1),
                    message: "finding \(i) with \"quotes\" and a tab\t", notes: i % 4 == 0 ? ["note \(i)"] : [])
        }
    }

    func written(_ items: [Finding], pretty: Bool, chunked: Bool, prefix: Bool) -> String {
        var w = JSONWriter(pretty: pretty)
        w.beginObject()
        w.key("wrapper")
        w.beginArray()
        if prefix { w.string("first") }
        if chunked {
            w.items(items) { f, w in Reporters.writeFinding(f, reason: nil, to: &w) }
        } else {
            for f in items { Reporters.writeFinding(f, reason: nil, to: &w) }
        }
        w.string("after")
        w.endArray()
        w.endObject()
        return w.string()
    }

    @Test(arguments: [0, 1, JSONWriter.parallelItems - 1, JSONWriter.parallelItems, JSONWriter.parallelItems * 3 + 17])
    func chunkedEqualsOneByOne(_ count: Int) {
        let items = findings(count)
        for pretty in [true, false] {
            for prefix in [true, false] {
                #expect(written(items, pretty: pretty, chunked: true, prefix: prefix)
                    == written(items, pretty: pretty, chunked: false, prefix: prefix))
            }
        }
    }
}
