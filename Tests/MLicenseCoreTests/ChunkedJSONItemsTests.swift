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
        write(items, to: &w, chunked: chunked, prefix: prefix, itemSize: 1024)
        return w.string()
    }

    func write(_ items: [Finding], to w: inout JSONWriter, chunked: Bool, prefix: Bool, itemSize: Int) {
        w.beginObject()
        w.key("wrapper")
        w.beginArray()
        if prefix { w.string("first") }
        if chunked {
            w.items(items, itemSize: itemSize) { f, w in Reporters.writeFinding(f, reason: nil, to: &w) }
        } else {
            for f in items { Reporters.writeFinding(f, reason: nil, to: &w) }
        }
        w.string("after")
        w.endArray()
        w.endObject()
    }

    /// Class-held so that the sink can append to it.
    final class Collected {
        var bytes: [UInt8] = []
        var pieces: [Int] = []
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

    @Test("through a sink: chunks larger than its buffer are handed on as they are, in order; chunk buffers that are too small grow")
    func chunkedThroughSink() {
        let items = findings(JSONWriter.parallelItems * 3 + 5)
        let expected = Array(written(items, pretty: true, chunked: false, prefix: true).utf8)
        for (capacity, itemSize) in [(256, 1024), (256, 8), (1 << 22, 1024)] {
            let collected = Collected()
            var w = JSONWriter(out: ByteBuffer(capacity: capacity) { piece in
                collected.bytes.append(contentsOf: piece)
                collected.pieces.append(piece.count)
            })
            write(items, to: &w, chunked: true, prefix: true, itemSize: itemSize)
            var out = w.finish()
            out.flush()
            #expect(collected.bytes == expected)
            // A small buffer passes whole chunks through (pieces larger than itself); a large one never does.
            #expect(collected.pieces.contains { $0 > capacity } == (capacity == 256))
        }
    }
}
