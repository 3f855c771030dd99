import FoundationEssentials
import Hummingbird
import VigilModels

/// Inflates `Content-Encoding: gzip` request bodies, bounding both the compressed and the inflated size.
struct RequestDecompression: Sendable {
    let bodyLimit: Int

    /// Whether `request` names a content coding at all (most do not, and skip `inflate`).
    func isEncoded(_ request: Request) -> Bool {
        request.headers.first(.contentEncoding) != nil
    }

    /// Replaces a gzip body with its inflated bytes; leaves any other request as it is.
    func inflate(_ request: inout Request) async throws {
        guard let encoding = request.headers.first(.contentEncoding)?.trimmingWhitespace().lowercased(), !encoding.isEmpty else {
            return
        }
        switch encoding {
        case "identity":
            return
        case "gzip", "x-gzip":
            let compressed = try await request.collectBody(limit: bodyLimit)
            let inflated: [UInt8]
            do {
                inflated = try Gzip.decompress(Array(buffer: compressed), limit: bodyLimit)
            } catch .tooLarge(let limit) {
                throw VigilError(.contentTooLarge, "the gzip body inflates to more than the \(limit)-byte limit")
            } catch .corrupt(let reason) {
                throw VigilError(.badRequest, "the body is not valid gzip data (\(reason)); compress it with gzip or drop Content-Encoding")
            }
            request.body = .init(buffer: ByteBuffer(bytes: inflated))
        default:
            throw VigilError(.unsupportedMediaType, "Content-Encoding '\(encoding)' is not supported; send gzip or identity")
        }
    }
}
