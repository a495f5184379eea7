import MLicenseCore
import Testing

@Suite("pre-push lines")
struct PushLinesTests {
    let a = String(repeating: "a", count: 40), b = String(repeating: "b", count: 40), z = String(repeating: "0", count: 40)

    @Test("updates, new refs, deletions, SHA-256 names and malformed lines")
    func parse() {
        let text = """
            refs/heads/main \(a) refs/heads/main \(b)
            refs/heads/new \(a) refs/heads/new \(z)
            (delete) \(z) refs/heads/old \(b)
            HEAD~1 with space \(a) refs/heads/x \(b)
            refs/heads/sha256 \(String(repeating: "c", count: 64)) refs/heads/sha256 \(String(repeating: "0", count: 64))
            garbage line
            refs/heads/short abc refs/heads/short \(b)

            """
        let u = PushUpdate.parse(text)
        #expect(u.count == 4)
        #expect(u[0] == PushUpdate(localRef: "refs/heads/main", localOID: a, remoteRef: "refs/heads/main", remoteOID: b))
        #expect(u[1].remoteOID == nil)
        #expect(u[2].localRef == "HEAD~1 with space")
        #expect(u[3].localOID.count == 64 && u[3].remoteOID == nil)
        #expect(PushUpdate.parse("").isEmpty)
        #expect(PushUpdate.parse("refs/heads/x \(a) refs/heads/x \(String(repeating: "0", count: 64))").isEmpty, "lengths differ")
    }
}
