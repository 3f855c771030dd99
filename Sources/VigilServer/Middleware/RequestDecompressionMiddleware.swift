import FoundationEssentials
import Hummingbird
import VigilModels

/// Inflates `Content-Encoding: gzip` request bodies, bounding both the compressed and the inflated size.
struct RequestDecompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    let bodyLimit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let encoding = request.headers.first(.contentEncoding)?.trimmingWhitespace().lowercased(), !encoding.isEmpty else {
            return try await next(request, context)
        }
        switch encoding {
        case "identity":
            return try await next(request, context)
        case "gzip", "x-gzip":
            var request = request
            let compressed = try await request.collectBody(limit: bodyLimit)
            let inflated: [UInt8]
            do {
                inflated = try Gzip.decompress(Array(buffer: compressed), limit: bodyLimit)
            } catch .tooLarge(let limit) {
                throw VigilError(.contentTooLarge, "the gzip body inflates to more than the \(limit)-byte limit")
            } catch .corrupt(let reason) {
                throw VigilError(.badRequest, "the body is not valid gzip data (\(reason)); compress it with gzip or drop Content-Encoding")
            }
            FreedMemory.noteBody(bytes: inflated.count)
            request.body = .init(buffer: ByteBuffer(bytes: inflated))
            return try await next(request, context)
        default:
            throw VigilError(.unsupportedMediaType, "Content-Encoding '\(encoding)' is not supported; send gzip or identity")
        }
    }
}
