internal import CCurlLoader
import Glibc

/// One HTTP response.
struct HTTPResponse: Sendable {
    /// The status.
    var status: Int
    /// Header names lower-cased → the last value.
    var headers: [String: String]
    /// The body (cut at the request's limit).
    var body: [UInt8]
}

/// A transfer that did not complete (no status): connection refused, timeout, TLS failure.
struct HTTPTransferError: Error, Sendable {
    /// libcurl's message.
    var message: String
    /// Whether the time ran out.
    var timedOut: Bool
}

/// GET requests through libcurl, which is loaded on the first request (see ccurl_loader.h): the
/// only HTTP client of mlicense.
enum HTTP {
    /// CURLE_OPERATION_TIMEDOUT.
    static let timedOutCode: Int32 = 28

    /// GETs `url` with `headers` ("Name: value"), following no redirect.
    static func get(_ url: String, headers: [String], timeoutMilliseconds: Int, maxBody: Int) -> Result<HTTPResponse, HTTPTransferError> {
        var response = mlc_http_response()
        let rc = withCStrings(headers) { pointers in
            mlc_http_get(url, pointers, Int32(headers.count), timeoutMilliseconds, min(timeoutMilliseconds, 10_000), maxBody, &response)
        }
        defer { mlc_http_response_free(&response) }
        guard rc == 0 else {
            let message = withUnsafeBytes(of: response.error) { raw in String(cString: raw.bindMemory(to: CChar.self).baseAddress!) }
            return .failure(HTTPTransferError(message: message, timedOut: rc == timedOutCode))
        }
        let body = response.body.map { Array(UnsafeRawBufferPointer(start: $0, count: response.body_length)) } ?? []
        let head = response.headers.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: response.headers_length), as: UTF8.self) } ?? ""
        return .success(HTTPResponse(status: Int(response.status), headers: parseHeaders(head), body: body))
    }

    /// Header lines → lower-cased names and values (the status line skipped; a repeated name keeps the last).
    static func parseHeaders(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            guard let colon = line.firstIndex(of: ":"), !line.hasPrefix("HTTP/") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            result[name] = String(value.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }
        return result
    }

    /// Calls `body` with `strings` as an array of C strings that live for the call.
    static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
