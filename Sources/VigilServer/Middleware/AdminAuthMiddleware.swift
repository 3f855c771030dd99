import FoundationEssentials
import Hummingbird
import VigilModels

/// Guards admin routes with `Authorization: Bearer <token>`, compared in constant time.
///
/// No token presented is a 401 with a `WWW-Authenticate` challenge; a wrong one is a 403. With no
/// token configured, admin routes are off: they answer 403, never open.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else {
            throw VigilError(.forbidden, "admin routes are off; start vigil with --admin-token or VIGIL_ADMIN_TOKEN to enable them")
        }
        let challenge: HTTPFields = [.wwwAuthenticate: "Bearer realm=\"vigil\""]
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw VigilError(.unauthorized, "this admin route needs the header 'Authorization: Bearer <admin token>'", headers: challenge)
        }
        let presented = header.dropFirst("bearer ".count).trimmingWhitespace()
        guard Self.constantTimeEquals(Array(presented.utf8), Array(token.utf8)) else {
            throw VigilError(.forbidden, "the admin token is wrong")
        }
        return try await next(request, context)
    }

    /// Compares every byte whatever the first difference, so timing does not reveal a prefix.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        // The lengths take part whole: a token padded with 256 zero bytes must not match.
        var difference = a.count ^ b.count
        let length = max(a.count, b.count)
        for index in 0..<length {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= Int(x ^ y)
        }
        return difference == 0
    }
}
