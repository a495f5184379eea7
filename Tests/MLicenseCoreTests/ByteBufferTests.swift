@testable import MLicenseCore
import Testing

/// The byte-level helpers the reports and the path order are written with, against plain loops
/// over `utf8`.
@Suite("byte buffer")
struct ByteBufferTests {
    static let samples = ["", "a", "models/x/README.md", "Llama 3.1 — ©", "中文模型", "👩‍👩‍👧 🦙", "e\u{301}", "\r\n",
                          String(repeating: "long ascii run ", count: 20)]

    @Test("a string's contiguous UTF-8 is its utf8")
    func contiguousUTF8() {
        for s in Self.samples {
            #expect(s.withContiguousUTF8 { Array($0) } == Array(s.utf8))
            let sub = String(("  " + s + "  ").dropFirst(2).dropLast(2))
            #expect(sub.withContiguousUTF8 { Array($0) } == Array(s.utf8))
        }
    }

    @Test("the last slash is found over the bytes as `utf8.lastIndex(of:)` finds it")
    func lastSlash() {
        let cases = Self.samples + ["/", "a/", "/a", "a/b/c", "org/中文/模型.md", "👩‍👩‍👧/🦙", "//", "no slash here"]
        for s in cases {
            #expect(s.lastSlashIndex == s.utf8.lastIndex(of: UInt8(ascii: "/")), "\(s.debugDescription)")
            // A substring whose bytes start and end inside its base string.
            let padded = "x/" + s + "/y"
            let sub = padded.dropFirst(2).dropLast(2)
            #expect(sub.lastSlashIndex == sub.utf8.lastIndex(of: UInt8(ascii: "/")), "\(s.debugDescription)")
        }
    }

    @Test("a UTF-8 prefix is tested byte for byte, as `utf8.starts(with:)` tests it, not under Unicode equivalence")
    func utf8Prefix() {
        let cases = Self.samples + ["models", "models/", "models/x", "org/中文", "é", "e"]
        for s in cases {
            for p in cases {
                #expect(s.hasUTF8Prefix(p) == s.utf8.starts(with: p.utf8), "\(s.debugDescription) \(p.debugDescription)")
            }
        }
        // Equivalent characters with other bytes are not a prefix (`hasPrefix` says they are).
        #expect("\u{E9}/README.md".hasPrefix("e\u{301}") && !"\u{E9}/README.md".hasUTF8Prefix("e\u{301}"))
        #expect(!"e\u{301}/README.md".hasUTF8Prefix("\u{E9}"))
        // A folder of the same byte length whose first characters are equivalent to another folder's.
        let file = SnapshotFile(path: "\u{E9}xy/README.md", size: 1, content: .full([]))
        #expect(file.isDirectly(in: "\u{E9}xy") && !file.isDirectly(in: "e\u{301}x"))
        #expect(ModelRepo.file(named: "README.md", in: [file], folder: "e\u{301}x") == nil)
        #expect(ModelRepo.file(named: "README.md", in: [file], folder: "\u{E9}xy") == file)
    }

    @Test("bytes are appended whether they are contiguous or not")
    func appendContents() {
        var out = ByteBuffer(capacity: 8)
        out.append(contentsOf: [UInt8]("abc".utf8))
        out.append(contentsOf: "déf".utf8)
        out.append(contentsOf: "xyz".utf8.reversed())  // not contiguous
        out.append(contentsOf: [UInt8]("0123456789".utf8)[2..<5])
        out.append("lit" as StaticString)
        out.append(String(repeating: "é", count: 100))
        #expect(out.string() == "abcdéfzyx234lit" + String(repeating: "é", count: 100))
    }

    /// `s` with the bytes in `special` written as `<hex>`, byte by byte.
    static func reference(_ s: String, _ special: Set<UInt8>) -> String {
        var out = ""
        for b in s.utf8 {
            if special.contains(b) { out += "<" + String(b, radix: 16) + ">" } else { out.unicodeScalars.append(UnicodeScalar(b)) }
        }
        return out
    }

    static func escaped(_ s: String, _ special: Set<UInt8>, words: Bool) -> [UInt8] {
        var out = ByteBuffer(capacity: 64)
        let hex = Array("0123456789abcdef".utf8)
        let escape: (UInt8, inout ByteBuffer) -> Void = { b, out in
            out.append(UInt8(ascii: "<"))
            if b >= 16 { out.append(hex[Int(b >> 4)]) }
            out.append(hex[Int(b & 0xF)])
            out.append(UInt8(ascii: ">"))
        }
        s.withContiguousUTF8 { bytes in
            if words {
                out.appendEscaping(bytes, wordIsPlain: { w in special.allSatisfy { !ByteBuffer.contains(w, $0) } },
                                   isPlain: { !special.contains($0) }, escape: escape)
            } else {
                out.appendEscaping(bytes, isPlain: { !special.contains($0) }, escape: escape)
            }
        }
        return out.bytes()
    }

    @Test("escaping at every offset around the eight-byte scan matches the byte loop")
    func escapingAtEveryOffset() {
        let special: Set<UInt8> = [UInt8(ascii: "%"), 0x0A, UInt8(ascii: ":")]
        let alphabet: [String] = ["a", "%", "\n", ":", " ", "é", "🦙", "Z"]
        var seed: UInt64 = 5
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        for length in 0..<40 {
            for _ in 0..<20 {
                var s = ""
                for _ in 0..<length { s += alphabet[next(alphabet.count)] }
                let expected = Array(Self.reference(s, special).utf8)
                // The reference writes each byte as a scalar: compare bytes of ASCII-only strings, and
                // the escapes' positions for others.
                if s.utf8.allSatisfy({ $0 < 0x80 }) {
                    #expect(Self.escaped(s, special, words: true) == expected, "\(s.debugDescription)")
                    #expect(Self.escaped(s, special, words: false) == expected, "\(s.debugDescription)")
                }
                #expect(Self.escaped(s, special, words: true) == Self.escaped(s, special, words: false), "\(s.debugDescription)")
            }
        }
        for offset in 0..<33 {
            let s = String(repeating: "x", count: offset) + "%" + String(repeating: "y", count: 40 - offset)
            #expect(Self.escaped(s, special, words: true) == Array(Self.reference(s, special).utf8))
        }
    }

    @Test("the eight-byte tests are exact")
    func wordTests() {
        for b in 0...255 {
            for position in 0..<8 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                bytes[position] = UInt8(b)
                let w = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
                #expect(ByteBuffer.anyNeedsEscape(w) == ByteBuffer.needsEscape(UInt8(b)), "byte \(b) at \(position)")
                #expect(ByteBuffer.contains(w, UInt8(ascii: "%")) == (b == 0x25), "byte \(b) at \(position)")
            }
        }
    }

    @Test("path order is byte order")
    func pathOrder() {
        let paths = ["", "a", "A", "a/b", "a-b", "a.b", "ab", "é", "e\u{301}", "z", "models/x", "models/x/README.md"]
        for a in paths {
            for b in paths {
                #expect(SourceLocation.pathPrecedes(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) \(b)")
            }
        }
    }

    @Test("ids are classified byte by byte as the scalar reading does")
    func classifyBytes() {
        let cases: [(String, ModelReferenceKind)] = [
            ("org/name", .hub), (" \torg/name\t ", .hub), ("gpt2", .hub), ("a.b-c_d/E.9", .hub), ("", .invalid),
            ("  ", .invalid), ("org/", .invalid), ("/org", .localPath), ("~/x", .localPath), ("./x", .localPath),
            ("a/b/c", .localPath), ("a\\b", .localPath), ("org/.x", .invalid), ("org/a b", .invalid), ("org//", .localPath),
            ("org/na:me", .invalid), ("org/name\r", .invalid), ("ünï/x", .invalid),
        ]
        for (text, kind) in cases { #expect(ModelReference.classify(text) == kind, "\(text.debugDescription)") }
    }

    @Test("wanted Hub file names")
    func wantedNames() {
        for name in ["adapter_config.json", "LICENSE", "license.txt", "NOTICE.md", "Copying", "x/model.Q4.GGUF", "m.gguf",
                     "mergekit_config.yml"] {
            #expect(HubModelRecord.isWanted(name), "\(name)")
        }
        for name in ["", "config.json", "sub/LICENSE", "Adapter_config.json", "gguf", "x/adapter_config.json", "READ.me"] {
            #expect(!HubModelRecord.isWanted(name), "\(name)")
        }
    }
}
