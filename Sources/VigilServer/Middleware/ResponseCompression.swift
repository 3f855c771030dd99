import FoundationEssentials
import HTTPTypes
import Hummingbird
import NIOCore
import VigilModels

/// Gzips responses of at least `threshold` bytes for clients that send `Accept-Encoding: gzip`.
struct ResponseCompression: Sendable {
    let threshold: Int

    /// `Vary: Accept-Encoding`, made once. A second Vary line adds to any first one (RFC 9110 §5.3).
    private static let vary = HTTPField(name: .vary, value: "Accept-Encoding")

    /// Marks `response` with `Vary` where that matters and says whether it is to be gzipped.
    ///
    /// `Vary` goes on answers a cache may keep (GET and HEAD) and on every gzipped one. A POST
    /// answer is not stored without freshness information, which Vigil never sends (RFC 9111 §3),
    /// so an uncompressed prediction goes without it: a header less on every prediction.
    func prepare(_ response: inout Response, for request: Request) -> Bool {
        let gzip =
            if let length = response.body.contentLength, length >= threshold, response.headers[.contentEncoding] == nil {
                Self.acceptsGzip(request.headers[values: .acceptEncoding])
            } else {
                false
            }
        if gzip || request.method == .get || request.method == .head { response.headers.append(Self.vary) }
        return gzip
    }

    /// `response` with its body gzipped, as `prepare` decided.
    func compress(_ response: Response) async throws -> Response {
        var response = response
        let collector = BodyCollector()
        try await response.body.write(collector)
        let compressed = collector.buffer.withUnsafeReadableBytes { Gzip.compress($0) }
        guard !compressed.isEmpty else { return response }
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = String(compressed.count)
        response.body = .init(byteBuffer: ByteBuffer(bytes: compressed))
        return response
    }

    /// True when some `Accept-Encoding` value names gzip (or `*`) without `q=0`.
    static func acceptsGzip(_ values: [String]) -> Bool {
        for value in values {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingWhitespace().lowercased() }
                guard let coding = parts.first, coding == "gzip" || coding == "*" else { continue }
                let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
                if quality > 0 { return true }
            }
        }
        return false
    }
}

/// A response body writer that keeps what it is given, so a finished body can be transformed whole.
final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ part: ByteBuffer) async throws {
        var part = part
        buffer.writeBuffer(&part)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
