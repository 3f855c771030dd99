import FoundationEssentials
import Hummingbird
import NIOHTTP1
import VigilModels

extension Request {
    /// Content types a JSON body may arrive with. `application/x-www-form-urlencoded` is curl's default for `-d`.
    static let jsonContentTypes: Set<String> = ["application/json", "text/json", "text/plain", "application/x-www-form-urlencoded"]

    /// 415 unless the body is declared as JSON (or not declared at all), or, when `allowingBinary`, as
    /// `application/octet-stream` (a body in Triton's binary tensor form).
    func checkContentType(allowingBinary: Bool = false) throws(VigilError) {
        guard let contentType = headers.first(.contentType) else { return }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingWhitespace().lowercased() } ?? ""
        guard
            Self.jsonContentTypes.contains(mediaType) || mediaType.hasSuffix("+json")
                || allowingBinary && mediaType == Self.binaryContentType
        else {
            throw VigilError(.unsupportedMediaType, "Content-Type '\(contentType)' is not supported; send application/json")
        }
    }

    /// What a body in Triton's binary tensor form may also be declared as.
    private static let binaryContentType = "application/octet-stream"

    /// Decodes `buffer` as JSON, with errors a person can act on.
    ///
    /// Strict JSON: Foundation's JSON5 reader traps on some malformed numbers (`1e-`, found by
    /// tools/fuzz.sh), which would take the server down. The inference routes read `NaN` and
    /// `Infinity`, which Python's `json` writes, with their own reader (`scanJSON`).
    static func decodeJSON<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws(VigilError) -> T {
        try checkJSONText(buffer)
        return try decodeCheckedJSON(type, from: buffer)
    }

    /// Reads `buffer` with `read`, a `JSONScanner` reader, and when that leaves the body to Foundation
    /// (a body it cannot read the same way, or that is wrong), decodes it as `decodeJSON` does.
    static func scanJSON<T: Decodable>(
        _ type: T.Type, from buffer: ByteBuffer, read: (inout JSONScanner) throws(JSONScanner.Unsupported) -> T
    ) throws(VigilError) -> T {
        try checkJSONText(buffer)
        let scanned = buffer.withUnsafeReadableBytes { bytes -> T? in
            var scanner = JSONScanner(bytes)
            return try? read(&scanner)
        }
        if let scanned { return scanned }
        return try decodeCheckedJSON(type, from: buffer)
    }

    /// 400 unless `buffer` holds some UTF-8 text.
    static func checkJSONText(_ buffer: ByteBuffer) throws(VigilError) {
        guard buffer.readableBytes > 0 else { throw VigilError.badRequest("the request body is empty; send a JSON document") }
        // JSON is UTF-8. Checked first, without a copy: Foundation's JSON5 scanner trapped on some
        // invalid bytes (found by tools/fuzz.sh; Fuzz/Regressions/v2), and neither reader should see them.
        let isUTF8 = buffer.withUnsafeReadableBytes { raw in
            raw.withMemoryRebound(to: UInt8.self) { (try? UTF8Span(validating: Span(_unsafeElements: $0))) != nil }
        }
        guard isUTF8 else { throw VigilError.badRequest("the body is not UTF-8 text; send JSON encoded as UTF-8") }
    }

    private static func decodeCheckedJSON<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws(VigilError) -> T {
        let decoder = JSONDecoder()
        do {
            return try buffer.withUnsafeReadableBytes { bytes in
                try decoder.decode(T.self, from: Data(bytes))
            }
        } catch {
            throw VigilError.badRequest("the body is not a valid request: \(readableDescription(of: error))")
        }
    }

    /// The whole body, or 413 once it passes `limit` bytes.
    mutating func collectBody(limit: Int) async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw VigilError(.contentTooLarge, "the request body is larger than the \(limit)-byte limit; send smaller batches")
        } catch is HTTPParserError {
            // The client closed its side before sending what Content-Length promised, or sent a broken chunk.
            throw VigilError.badRequest(
                "the request body ended before its Content-Length (or its chunked encoding is broken); send the whole body")
        }
    }
}
