import Dispatch
import FoundationEssentials
import Glibc
import MLicenseCore

/// What the Hub's model-info endpoint says of a model (the fields mlicense reads).
public struct HubInfo: Sendable, Hashable {
    /// The model's id as the Hub now names it (after a rename).
    public var id: String
    /// The commit sha of the revision asked for.
    public var sha: String?
    /// `cardData.license`, `license_name`, `license_link`.
    public var license: String?
    public var licenseName: String?
    public var licenseLink: String?
    /// `cardData.base_model` (a string or a list).
    public var baseModels: [String]
    /// `cardData.base_model_relation`.
    public var baseModelRelation: String?
    /// Whether the info had `cardData` at all (a model without a card has none).
    public var hasCardData: Bool
    /// The repository's files.
    public var siblings: [String]
    /// `gated`: false, or "auto" / "manual".
    public var gated: String?
    /// The tags.
    public var tags: [String]
}

/// Why a request to the Hub gave no answer.
public enum HubError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `HF_HUB_OFFLINE` is set: no request was made.
    case offline
    /// 401 or 403: a gated or private repository (or a bad token).
    case unauthorized(status: Int, tokenSent: Bool)
    /// 404: no such repository, revision or file (`X-Error-Code`: RepoNotFound, RevisionNotFound, EntryNotFound).
    case notFound(code: String?, message: String?)
    /// 429 after the retries.
    case rateLimited(retries: Int)
    /// The time ran out.
    case timeout(seconds: Double)
    /// The connection failed, or another status.
    case failed(String)

    public var description: String {
        switch self {
        case .offline: return "HF_HUB_OFFLINE is set, so the Hub was not asked"
        case .unauthorized(let status, let tokenSent):
            return "the Hub answered \(status): the repository is gated or private" + (tokenSent ? " (the token in HF_TOKEN has no access)" : "; set HF_TOKEN to a token with access")
        case .notFound(let code, let message):
            return "the Hub answered 404" + (code.map { " (\($0))" } ?? "") + (message.map { ": \($0)" } ?? "")
        case .rateLimited(let retries): return "the Hub kept answering 429 (rate limited) after \(retries) retries"
        case .timeout(let s): return "the Hub did not answer within \(Int(s)) s"
        case .failed(let m): return m
        }
    }
}

/// A client of the Hugging Face Hub's public endpoints, for `mlicense lock` only:
/// `GET {endpoint}/api/models/{repo_id}/revision/{revision}` (model info) and
/// `GET {endpoint}/{repo_id}/resolve/{revision}/{filename}` (a file). Configured from the
/// environment as `huggingface_hub` is: `HF_ENDPOINT`, `HF_TOKEN` (sent as a bearer token to the
/// endpoint's host only, never printed), `HF_HUB_OFFLINE` (no request at all),
/// `HF_HUB_DOWNLOAD_TIMEOUT` (seconds, default 10).
public struct HubClient: Sendable {
    /// The base URL, without a trailing `/`.
    public let endpoint: String
    /// Whether requests are forbidden.
    public let offline: Bool
    /// Seconds per request.
    public let timeout: Double
    /// Retries of a 429 answer, waiting as `Retry-After` says (at most `maxRetryWait` seconds).
    public var maxRetries = 3
    /// The longest wait between retries, in seconds.
    public var maxRetryWait = 30.0
    /// Redirects followed (a renamed repository answers 307 with its new name).
    public var maxRedirects = 5
    let token: String?

    /// The public Hub.
    public static let defaultEndpoint = "https://huggingface.co"

    /// A client configured from `environment`.
    public init(environment: [String: String]) {
        var e = environment["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultEndpoint
        while e.hasSuffix("/") { e.removeLast() }
        endpoint = e
        let truthy: Set<String> = ["1", "ON", "YES", "TRUE"]
        offline = [environment["HF_HUB_OFFLINE"], environment["TRANSFORMERS_OFFLINE"]].contains { $0.map { truthy.contains($0.uppercased()) } ?? false }
        token = (environment["HF_TOKEN"] ?? environment["HUGGING_FACE_HUB_TOKEN"]).flatMap { $0.isEmpty ? nil : $0 }
        timeout = environment["HF_HUB_DOWNLOAD_TIMEOUT"].flatMap(Double.init).map { max(0.05, $0) } ?? 10
    }

    /// The model info of `id` at `revision`.
    public func modelInfo(_ id: String, revision: String = "main") -> Result<HubInfo, HubError> {
        let url = "\(endpoint)/api/models/\(Self.pathEscaped(id))/revision/\(Self.escaped(revision))"
        switch get(url, maxBody: 32 << 20) {
        case .failure(let e): return .failure(e)
        case .success(let r):
            guard let info = Self.decodeInfo(r.body, fallbackID: id) else {
                return .failure(.failed("the Hub's model info for \(id) is not the JSON expected"))
            }
            return .success(info)
        }
    }

    /// The bytes of `path` in `id` at `revision` (at most `limit` bytes).
    public func file(_ id: String, revision: String, path: String, limit: Int = FileInterest.textLimit) -> Result<[UInt8], HubError> {
        let url = "\(endpoint)/\(Self.pathEscaped(id))/resolve/\(Self.escaped(revision))/\(Self.pathEscaped(path))"
        return get(url, maxBody: limit).map(\.body)
    }

    /// One GET with the retries, redirects and error mapping.
    func get(_ url: String, maxBody: Int) -> Result<HTTPResponse, HubError> {
        if offline { return .failure(.offline) }
        var current = url
        var redirects = 0
        var retries = 0
        while true {
            var headers = ["User-Agent: mlicense/\(MLicenseHubInfo.version)", "Accept: application/json"]
            let sameHost = Self.origin(current) == Self.origin(endpoint)
            if let token, sameHost { headers.append("Authorization: Bearer \(token)") }
            let result = HTTP.get(current, headers: headers, timeoutMilliseconds: Int(timeout * 1000), maxBody: maxBody)
            let r: HTTPResponse
            switch result {
            case .failure(let e):
                return .failure(e.timedOut ? .timeout(seconds: timeout) : .failed("cannot reach \(Self.origin(current)): \(e.message)"))
            case .success(let ok): r = ok
            }
            switch r.status {
            case 200..<300:
                return .success(r)
            case 301, 302, 303, 307, 308:
                guard let location = r.headers["location"], redirects < maxRedirects else {
                    return .failure(.failed("too many redirects from \(url)"))
                }
                redirects += 1
                current = Self.resolve(location, against: current)
            case 401, 403:
                // The Hub answers 401 RepoNotFound for a missing repository as for a private one.
                if r.headers["x-error-code"] == "RepoNotFound" {
                    return .failure(.notFound(code: "RepoNotFound", message: "no such repository, or a private one" + (token == nil ? " (set HF_TOKEN)" : " the token cannot see")))
                }
                return .failure(.unauthorized(status: r.status, tokenSent: token != nil && sameHost))
            case 404:
                let message = Self.errorMessage(r.body) ?? r.headers["x-error-message"]
                return .failure(.notFound(code: r.headers["x-error-code"], message: message))
            case 429:
                guard retries < maxRetries else { return .failure(.rateLimited(retries: retries)) }
                retries += 1
                let wait = r.headers["retry-after"].flatMap(Double.init) ?? Double(1 << retries)
                usleep(UInt32(min(max(wait, 0), maxRetryWait) * 1_000_000))
            default:
                return .failure(.failed("the Hub answered \(r.status) for \(current)" + (Self.errorMessage(r.body).map { ": \($0)" } ?? "")))
            }
        }
    }

    // MARK: Parallel requests

    /// `work` for every item, at most `width` at a time; results in input order.
    public static func bounded<T: Sendable, R: Sendable>(_ items: [T], width: Int = 8, _ work: @escaping @Sendable (T) -> R) -> [R] {
        guard items.count > 1 else { return items.map(work) }
        let state = BoundedState<R>(count: items.count)
        // A queue of its own: its blocks get threads of their own while others wait on the network.
        let queue = DispatchQueue(label: "mlicense.hub", attributes: .concurrent)
        let group = DispatchGroup()
        for _ in 0..<min(width, items.count) {
            queue.async(group: group) {
                while let i = state.take() { state.put(i, work(items[i])) }
            }
        }
        group.wait()
        return state.values()
    }

    // MARK: Helpers

    /// `scheme://host[:port]` of `url`.
    static func origin(_ url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return "" }
        let rest = url[scheme.upperBound...]
        let end = rest.firstIndex(of: "/") ?? rest.endIndex
        return String(url[..<end])
    }

    /// `location` (absolute, or a path on the same host) as an absolute URL.
    static func resolve(_ location: String, against url: String) -> String {
        if location.contains("://") { return location }
        if location.hasPrefix("/") { return origin(url) + location }
        let base = url[..<(url.lastIndex(of: "/") ?? url.endIndex)]
        return base + "/" + location
    }

    /// A URL path segment with everything but unreserved characters percent-encoded.
    static func escaped(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) {
                out.append(c)
            } else {
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
            }
        }
        return out
    }

    /// A path of segments, each escaped, `/` kept.
    static func pathEscaped(_ s: String) -> String { s.split(separator: "/", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "/") }

    /// The `error` member of a JSON error body.
    static func errorMessage(_ body: [UInt8]) -> String? {
        guard case .object(let o)? = try? JSONDecoder().decode(AnyJSON.self, from: Data(body)), case .string(let s)? = o["error"] else { return nil }
        return s
    }

    /// Reads the model info JSON.
    static func decodeInfo(_ body: [UInt8], fallbackID: String) -> HubInfo? {
        guard case .object(let o)? = try? JSONDecoder().decode(AnyJSON.self, from: Data(body)) else { return nil }
        var info = HubInfo(id: o["id"]?.string ?? o["modelId"]?.string ?? fallbackID, sha: o["sha"]?.string, license: nil, licenseName: nil,
                                licenseLink: nil, baseModels: [], baseModelRelation: nil, hasCardData: false, siblings: [], gated: nil, tags: [])
        if case .object(let card)? = o["cardData"] {
            info.hasCardData = true
            info.license = card["license"]?.string ?? card["license"]?.array?.first?.string
            info.licenseName = card["license_name"]?.string
            info.licenseLink = card["license_link"]?.string
            if let b = card["base_model"] { info.baseModels = b.array?.compactMap(\.string) ?? b.string.map { [$0] } ?? [] }
            info.baseModelRelation = card["base_model_relation"]?.string
        }
        info.siblings = o["siblings"]?.array?.compactMap { $0.object?["rfilename"]?.string } ?? []
        info.tags = o["tags"]?.array?.compactMap(\.string) ?? []
        switch o["gated"] {
        case .bool(let b)?: info.gated = b ? "true" : nil
        case .string(let s)?: info.gated = s
        default: break
        }
        return info
    }
}

/// The next index to work on and the results, shared by the workers of ``HubClient/bounded``;
/// a serial queue orders every access (no Synchronization library on the binary's start-up path).
final class BoundedState<R: Sendable>: @unchecked Sendable {
    let count: Int
    private let queue = DispatchQueue(label: "mlicense.hub.state")
    private var next = 0
    private var results: [Int: R] = [:]

    init(count: Int) { self.count = count }

    func take() -> Int? {
        queue.sync { () -> Int? in
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func put(_ i: Int, _ r: R) { queue.sync { results[i] = r } }

    func values() -> [R] { queue.sync { (0..<count).map { results[$0]! } } }
}

/// The version sent as the user agent.
enum MLicenseHubInfo {
    static let version = "0.1.0"
}

/// Any JSON value (the Hub's `cardData` is free-form).
enum AnyJSON: Decodable, Sendable, Hashable {
    case string(String), number(Double), bool(Bool), null, array([AnyJSON]), object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([AnyJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: AnyJSON].self)) }
    }

    var string: String? { if case .string(let s) = self { return s }; return nil }
    var array: [AnyJSON]? { if case .array(let a) = self { return a }; return nil }
    var object: [String: AnyJSON]? { if case .object(let o) = self { return o }; return nil }
    subscript(key: String) -> AnyJSON? { object?[key] }
}
