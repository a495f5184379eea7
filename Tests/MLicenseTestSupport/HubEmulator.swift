import Foundation

/// The local Hub emulator (Tests/Fixtures/hub-emulator/hub_emulator.py) on 127.0.0.1 and an
/// ephemeral port, serving the models of a spec the test writes (and may rewrite between runs).
public final class HubEmulator: @unchecked Sendable {
    /// `http://127.0.0.1:<port>`.
    public let endpoint: String
    /// The spec file.
    public let specPath: String
    let process: Process
    /// The emulator's standard input: it exits when this closes (with the test process, at the latest).
    let lifeline = Pipe()

    /// A Python 3: the huggingface_hub venv's when there is one (`MLICENSE_HF_PYTHON`, /tmp/mlicense-hf-venv), else python3.
    public static let python: String = {
        let env = ProcessInfo.processInfo.environment
        for c in [env["MLICENSE_HF_PYTHON"], "/tmp/mlicense-hf-venv/bin/python", "/usr/bin/python3"].compactMap({ $0 })
        where FileManager.default.isExecutableFile(atPath: c) { return c }
        return "/usr/bin/python3"
    }()

    /// Starts the emulator serving `models` (id → the spec's model object).
    public init(models: [String: Any]) throws {
        let dir = FileManager.default.temporaryDirectory.path + "/mlicense-hub-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        specPath = dir + "/spec.json"
        try Self.write(models, to: specPath)
        var script = URL(fileURLWithPath: #filePath)
        script.deleteLastPathComponent()
        script.deleteLastPathComponent()
        let path = script.path + "/Fixtures/hub-emulator/hub_emulator.py"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.python)
        p.arguments = ["-u", path, specPath]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = lifeline
        try p.run()
        process = p
        // The first line is `PORT <n>`.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).prefix { $0.isNumber }) else {
            p.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the Hub emulator did not start: \(text)"])
        }
        endpoint = "http://127.0.0.1:\(port)"
    }

    deinit {
        try? lifeline.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: (specPath as NSString).deletingLastPathComponent)
    }

    /// Replaces the served models.
    public func serve(_ models: [String: Any]) throws { try Self.write(models, to: specPath) }

    static func write(_ models: [String: Any], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: ["models": models], options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: path + ".tmp"))
        // Atomic: the emulator reads the spec on every request.
        guard rename(path + ".tmp", path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// The requests served so far: (method, path, authorization header or nil).
    public func requests() -> [(method: String, path: String, authorization: String?)] {
        guard let text = try? String(contentsOfFile: specPath + ".log", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let a = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], a.count == 4,
                  let m = a[0] as? String, let p = a[1] as? String, let has = a[2] as? Bool, let v = a[3] as? String else { return nil }
            return (m, p, has ? v : nil)
        }
    }

    /// A model of the spec: a card's front matter fields, the files, the sha.
    public static func model(sha: String, card: [String: Any]?, files: [String: String] = [:], extra: [String: Any] = [:]) -> [String: Any] {
        var m: [String: Any] = ["sha": sha, "files": files]
        m["cardData"] = card ?? NSNull()
        for (k, v) in extra { m[k] = v }
        return m
    }
}
